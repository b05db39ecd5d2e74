package toolchain

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// member is one ar archive member: a 60-byte header, the data, and a pad byte to an even size.
func member(name, data string) string {
	pad := ""
	if len(data)%2 == 1 {
		pad = "\n"
	}
	return fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "644", len(data)) + data + pad
}

func TestExportDataFromAnArchiveOrAsItIs(t *testing.T) {
	archive := "!<arch>\n" + member("_go_.o", "odd") + member("__.PKGDEF", "go object linux amd64 go1.26\nbuild id x\n$$B\nuDATA\n$$\n")
	got, err := exportData([]byte(archive))
	require.NoError(t, err)
	assert.Equal(t, "uDATA", string(got))

	got, err = exportData([]byte("iEXPORT")) // cmd/export output (Go 1.28 on) is taken as it is
	require.NoError(t, err)
	assert.Equal(t, "iEXPORT", string(got))

	for _, bad := range []string{
		"!<arch>\n" + member("_go_.o", "x"),
		"!<arch>\n" + member("__.PKGDEF", "no section\n"),
		"!<arch>\n" + member("__.PKGDEF", "$$B\nuDATA"),
		"!<arch>\n__.PKGDEF        0           0     0     644     99999     `\n",
	} {
		_, err := exportData([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}
