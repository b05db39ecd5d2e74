package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretWorkflow = `kailash: 1
name: secretive
inputs:
  user: {type: string, default: ada}
  password: {type: string, default: dflt-Pw-4711, secret: true, description: the service's password}
  pin: {type: int, default: 7394561, secret: true}
nodes:
  check:
    type: Code
    inputs: {user: string, password: string, pin: int}
    outputs: {ok: bool}
    code: |
      if os.Getenv("SECRETIVE_FAIL") == "1" {
          return errors.New("fails this time")
      }
      ok = len(password) > 5 && pin > 0 && user != ""
connections:
  - {from: inputs.user, to: check.user}
  - {from: inputs.password, to: check.password}
  - {from: inputs.pin, to: check.pin}
`

// TestASecretInputIsNeverShownNorJournaled: an input declared secret: true appears in no log
// record, no journal, no -h text (its default is ***) and no error, and a resumed run takes it
// again from its flag (format section 9, 1.2).
func TestASecretInputIsNeverShownNorJournaled(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "secretive", secretWorkflow, "journal")
	// The pins are long enough that the journal's timestamps and durations never hold them by
	// chance (a four-digit default once matched the digits of one).
	secrets := []string{"dflt-Pw-4711", "given-Pw-0815", "7394561", "8642097"}
	never := func(what, text string) {
		t.Helper()
		for _, s := range secrets {
			assert.NotContains(t, text, s, "%s shows a secret", what)
		}
	}

	_, help, _ := run(t, bin, "", "-h")
	assert.Contains(t, string(help), "-password string (default ***) secret\n")
	never("-h", string(help))

	dir := t.TempDir()
	journal := filepath.Join(dir, "runs.db")
	cmd := []string{"--journal", journal, "--run-id", "r1", "--log-level", "debug", "-password", "given-Pw-0815", "-pin", "8642097"}
	code, _, stderr := runEnv(t, bin, []string{"SECRETIVE_FAIL=1"}, cmd...)
	require.Equal(t, 1, code, stderr)
	never("the records", stderr)
	var journaled []byte
	for _, f := range []string{journal, journal + "-wal"} {
		data, _ := os.ReadFile(f) // the log is gone once the last connection checkpointed it
		journaled = append(journaled, data...)
	}
	never("the journal", string(journaled))
	assert.Contains(t, string(journaled), `"user":"ada"`, "the journal holds the other inputs")

	code, _, stderr = run(t, bin, "", "--journal", journal, "--resume", "r1", "-user", "bob")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "-user cannot change them")
	code, stdout, stderr := run(t, bin, "", "--journal", journal, "--resume", "r1", "-password", "given-Pw-0815", "-pin", "8642097")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, string(stdout), `"check":{"result":{"ok":true}}`)
	never("the resumed run", stderr+string(stdout))

	code, _, stderr = run(t, bin, "", "-pin", "8642097x")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "flag -pin: not a value of type int (the input is secret: its value is not shown)")
	never("an error", stderr)
}
