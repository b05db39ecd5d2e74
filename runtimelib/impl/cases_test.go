package impl

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestACaseDecodesAsItWasEncoded(t *testing.T) {
	t.Parallel()
	b, err := MarshalCase("small", []int(nil))
	require.NoError(t, err)
	assert.Equal(t, `{"small":[]}`, string(b))
	taken, v, err := UnmarshalCase(b, []string{"big", "small"})
	require.NoError(t, err)
	assert.Equal(t, 2, taken)
	assert.Equal(t, `[]`, string(v))
	taken, _, err = UnmarshalCase([]byte(`{}`), []string{"big", "small"})
	require.NoError(t, err)
	assert.Equal(t, 0, taken)
	_, _, err = UnmarshalCase([]byte(`[1]`), []string{"big"})
	assert.Error(t, err)
}
