package main

import (
	"github.com/kailashgen/kailashgen/internal/testservers"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// completionFolder is a folder with a workflow, a result, another file and a sub-folder,
// and the script of a shell written there.
func completionFolder(t *testing.T, shell string) (string, string) {
	t.Helper()
	testservers.Tool(t, shell)
	dir := t.TempDir()
	for _, f := range []string{"flow.yaml", "run.json", "notes.txt"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	code, script, stderr := kailashgen(t, "completion", shell)
	require.Equal(t, 0, code, stderr)
	file := filepath.Join(t.TempDir(), "kailashgen."+shell)
	require.NoError(t, os.WriteFile(file, []byte(script), 0o644))
	return dir, file
}

func shellOut(t *testing.T, dir, shell string, args ...string) string {
	t.Helper()
	cmd := exec.Command(shell, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

// TestBashCompletesCommandsFlagsValuesAndFiles calls the completion function as bash does
// on Tab, with COMP_WORDS and COMP_CWORD, and reads COMPREPLY.
func TestBashCompletesCommandsFlagsValuesAndFiles(t *testing.T) {
	t.Parallel()
	dir, script := completionFolder(t, "bash")
	complete := func(words ...string) []string {
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		out := shellOut(t, dir, "bash", "-c", "source "+script+"; COMP_WORDS=(kailashgen "+strings.Join(quoted, " ")+
			"); COMP_CWORD="+strconv.Itoa(len(words))+"; _kailashgen; printf '%s\\n' \"${COMPREPLY[@]}\" | sort")
		return strings.Fields(out)
	}
	assert.Equal(t, []string{"gen", "graph"}, complete("g"))
	assert.Equal(t, []string{"dot", "mermaid"}, complete("graph", "--format", ""))
	assert.Equal(t, []string{"local", "temporal"}, complete("build", "--target", ""))
	assert.Equal(t, []string{"etl", "fanout", "gogenerate"}, complete("init", "--template", ""))
	assert.Equal(t, []string{"--target", "--with", "-o"}, complete("build", "-"))
	assert.Equal(t, []string{"all", "journal", "serve", "traces"}, complete("build", "--with", ""))
	assert.Equal(t, []string{"flow.yaml", "sub"}, complete("check", ""), "workflow files and folders")
	assert.Equal(t, []string{"run.json", "sub"}, complete("timeline", ""))
	assert.Equal(t, []string{"bash", "fish", "zsh"}, complete("completion", ""))
}

// TestFishCompletesCommandsFlagsValuesAndFiles asks fish itself (complete -C) what it
// completes on a command line.
func TestFishCompletesCommandsFlagsValuesAndFiles(t *testing.T) {
	t.Parallel()
	dir, script := completionFolder(t, "fish")
	complete := func(line string) []string {
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(shellOut(t, dir, "fish", "-c", "source "+script+"; complete -C '"+line+"'")), "\n") {
			word, _, _ := strings.Cut(l, "\t")
			got = append(got, word)
		}
		return got
	}
	assert.Equal(t, []string{"graph"}, complete("kailashgen gr"))
	assert.Equal(t, []string{"dot", "mermaid"}, complete("kailashgen graph --format "))
	assert.ElementsMatch(t, []string{"flow.yaml", "sub/"}, complete("kailashgen run "))
	assert.ElementsMatch(t, []string{"run.json", "sub/"}, complete("kailashgen timeline "))
	assert.Contains(t, complete("kailashgen gen --"), "--check")
}

// TestZshCompletesInAnInteractiveShell types a command line and Tab into an interactive zsh
// on a pseudo-terminal (zsh's own zpty), with compinit and the script loaded, and reads what
// it lists.
func TestZshCompletesInAnInteractiveShell(t *testing.T) {
	t.Parallel()
	dir, script := completionFolder(t, "zsh")
	// typeTab types line and Tab twice, and reads the terminal until it shows want (a zsh
	// pattern), for up to 10 s.
	typeTab := func(line, want string) string {
		driver := `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PROMPT="%% "; autoload -U compinit; compinit -u -d ` + filepath.Join(t.TempDir(), "zcompdump") + `; source ` + script + `; cd ` + dir + `'
zpty -w -n z $'` + line + `\t\t'
out=""
for i in {1..50}; do
  sleep 0.2
  while zpty -r -t z line; do out+=$line; done
  [[ $out == ` + want + ` ]] && break
done
print -r -- "$out"
zpty -d z
`
		began := time.Now()
		out := shellOut(t, dir, "zsh", "-f", "-c", driver)
		t.Logf("zsh answered in %v", time.Since(began))
		return regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\r`).ReplaceAllString(out, "")
	}
	assert.Regexp(t, `dot\s+mermaid`, typeTab("kailashgen graph --format ", "*dot*mermaid*"))
	assert.Regexp(t, `run\.json\s+sub/`, typeTab("kailashgen timeline ", "*run.json*sub/*"))
	assert.Regexp(t, `kailashgen graph`, typeTab("kailashgen gra", "*kailashgen\\ graph*"))
}
