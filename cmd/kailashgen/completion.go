package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// shells are the writers of kailashgen completion, by shell (set in init: each writer lists
// the shells, for completion's own operand).
var shells map[string]func(io.Writer, []commandSpec)

func init() {
	shells = map[string]func(io.Writer, []commandSpec){"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}
}

var completionCommand = command{
	name:     "completion",
	args:     "bash|zsh|fish",
	summary:  "print shell completion for kailashgen's commands and flags",
	operands: shellOperands,
	about: `Completion prints a script that completes kailashgen's commands, their flags, the values of
--target, --format and --template, and the files each command takes (workflow files, result
files, folders). Load it in your shell:

  bash:  source <(kailashgen completion bash)          (or save it in ~/.local/share/bash-completion/completions/kailashgen)
  zsh:   source <(kailashgen completion zsh)           (after compinit; or save it as _kailashgen on your fpath)
  fish:  kailashgen completion fish | source           (or save it in ~/.config/fish/completions/kailashgen.fish)`,
	example: "  kailashgen completion bash > ~/.local/share/bash-completion/completions/kailashgen",
	define: func(c *command, _ *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(args []string, stdout, stderr io.Writer) int {
			if len(args) != 1 || shells[args[0]] == nil {
				return c.usage(stderr, "takes one shell: bash, zsh or fish")
			}
			shells[args[0]](stdout, commandSpecs())
			return exitOK
		}
	},
}

// commandSpec is one command as completion sees it, read from the command table.
type commandSpec struct {
	name, summary string
	flags         []flagSpec
	operands      operand
}

type flagSpec struct {
	name, usage string
	takesValue  bool
	choices     []string
}

// spelled is the flag as completion offers it: -o for a one-letter flag, --name otherwise.
func (f flagSpec) spelled() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

// commandSpecs reads every command's flags from the flag set its define declares.
func commandSpecs() []commandSpec {
	var specs []commandSpec
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		if c.define != nil {
			c.define(c, fs)
		}
		spec := commandSpec{name: c.name, summary: c.summary, operands: c.operands}
		fs.VisitAll(func(f *flag.Flag) {
			b, isBool := f.Value.(interface{ IsBoolFlag() bool })
			spec.flags = append(spec.flags, flagSpec{name: f.Name, usage: f.Usage, takesValue: !(isBool && b.IsBoolFlag()), choices: c.choices[f.Name]})
		})
		specs = append(specs, spec)
	}
	return specs
}

func commandNames(specs []commandSpec) []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return names
}

// shellNames are completion's shells, sorted.
func shellNames() []string {
	var names []string
	for name := range shells {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// bashCompletion writes the bash script: commands first, then each command's flags, the
// values of a flag with choices, and its operands.
func bashCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprintf(w, `# bash completion for kailashgen: source <(kailashgen completion bash)
_kailashgen() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "%s" -- "$cur"))
        return
    fi
    case "${COMP_WORDS[1]}" in
`, strings.Join(commandNames(specs), " "))
	for _, c := range specs {
		fmt.Fprintf(w, "    %s)\n        case \"$prev\" in\n", c.name)
		var spelled []string
		for _, f := range c.flags {
			spelled = append(spelled, f.spelled())
			if !f.takesValue {
				continue
			}
			words := "-f" // a path, or anything: files are offered
			if len(f.choices) > 0 {
				words = fmt.Sprintf("-W %q", strings.Join(f.choices, " "))
			}
			fmt.Fprintf(w, "        -%s|--%s) COMPREPLY=($(compgen %s -- \"$cur\")); return;;\n", f.name, f.name, words)
		}
		fmt.Fprintf(w, "        esac\n")
		if len(spelled) > 0 {
			fmt.Fprintf(w, "        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(spelled, " "))
		}
		fmt.Fprintf(w, "        %s;;\n", bashOperands(c.operands, specs))
	}
	fmt.Fprintf(w, "    esac\n}\ncomplete -o filenames -F _kailashgen kailashgen\n")
}

func bashOperands(o operand, specs []commandSpec) string {
	files := func(suffixes ...string) string {
		var parts []string
		for _, s := range suffixes {
			parts = append(parts, fmt.Sprintf(`$(compgen -f -X '!*.%s' -- "$cur")`, s))
		}
		return "COMPREPLY=(" + strings.Join(parts, " ") + ` $(compgen -d -- "$cur"))`
	}
	switch o {
	case workflowOperands:
		return files("yaml", "yml")
	case resultOperands:
		return files("json")
	case folderOperands:
		return `COMPREPLY=($(compgen -d -- "$cur"))`
	case commandOperands:
		return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur"))`, strings.Join(commandNames(specs), " "))
	case shellOperands:
		return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur"))`, strings.Join(shellNames(), " "))
	}
	return "COMPREPLY=()"
}

// zshCompletion writes the zsh script: _describe for the commands, _arguments for each
// command's flags and operands.
func zshCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprintf(w, "#compdef kailashgen\n# zsh completion for kailashgen: source <(kailashgen completion zsh), after compinit\n_kailashgen() {\n    local -a commands\n    commands=(\n")
	for _, c := range specs {
		fmt.Fprintf(w, "        %s\n", zshQuote(c.name+":"+zshEscape(c.summary)))
	}
	fmt.Fprintf(w, "    )\n    if (( CURRENT == 2 )); then\n        _describe -t commands 'kailashgen command' commands\n        return\n    fi\n")
	fmt.Fprintf(w, "    local cmd=${words[2]}\n    shift words\n    (( CURRENT-- ))\n    case $cmd in\n")
	for _, c := range specs {
		fmt.Fprintf(w, "    %s)\n        _arguments -s", c.name)
		for _, f := range c.flags {
			spec := f.spelled() + "[" + zshEscape(f.usage) + "]"
			if f.takesValue {
				action := "_files"
				if len(f.choices) > 0 {
					action = "(" + strings.Join(f.choices, " ") + ")"
				}
				spec += ":" + f.name + ":" + action
			}
			fmt.Fprintf(w, " \\\n            %s", zshQuote(spec))
		}
		if action := zshOperands(c.operands, specs); action != "" {
			fmt.Fprintf(w, " \\\n            %s", zshQuote("*:"+action))
		}
		fmt.Fprintf(w, "\n        ;;\n")
	}
	fmt.Fprintf(w, "    esac\n}\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _kailashgen \"$@\"\nelse\n    compdef _kailashgen kailashgen\nfi\n")
}

func zshOperands(o operand, specs []commandSpec) string {
	switch o {
	case workflowOperands:
		return `workflow file:_files -g "*.(yaml|yml)"`
	case resultOperands:
		return `result file:_files -g "*.json"`
	case folderOperands:
		return "folder:_files -/"
	case commandOperands:
		return "command:(" + strings.Join(commandNames(specs), " ") + ")"
	case shellOperands:
		return "shell:(" + strings.Join(shellNames(), " ") + ")"
	}
	return ""
}

// zshEscape escapes what _arguments and _describe read in a description: brackets and colons.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

// zshQuote is s single-quoted for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishCompletion writes the fish script: one complete line per command, flag and operand.
func fishCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprintf(w, "# fish completion for kailashgen: kailashgen completion fish | source\ncomplete -c kailashgen -f\n")
	for _, c := range specs {
		fmt.Fprintf(w, "complete -c kailashgen -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	for _, c := range specs {
		when := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			opt := "-l " + f.name
			if len(f.name) == 1 {
				opt = "-s " + f.name
			}
			switch {
			case len(f.choices) > 0:
				opt += " -x -a " + fishQuote(strings.Join(f.choices, " "))
			case f.takesValue:
				opt += " -r -F"
			}
			fmt.Fprintf(w, "complete -c kailashgen -n %s %s -d %s\n", when, opt, fishQuote(f.usage))
		}
		switch c.operands {
		case workflowOperands:
			fmt.Fprintf(w, "complete -c kailashgen -n %s -a %s\n", when, fishQuote(fishFiles(`\.ya?ml`)))
		case resultOperands:
			fmt.Fprintf(w, "complete -c kailashgen -n %s -a %s\n", when, fishQuote(fishFiles(`\.json`)))
		case folderOperands:
			fmt.Fprintf(w, "complete -c kailashgen -n %s -a %s\n", when, fishQuote("(__fish_complete_directories)"))
		case commandOperands:
			fmt.Fprintf(w, "complete -c kailashgen -n %s -a %s\n", when, fishQuote(strings.Join(commandNames(specs), " ")))
		case shellOperands:
			fmt.Fprintf(w, "complete -c kailashgen -n %s -a %s\n", when, fishQuote(strings.Join(shellNames(), " ")))
		}
	}
}

// fishFiles is a fish command substitution of the paths that complete the current token and
// end with suffix (a regular expression), and the folders.
func fishFiles(suffix string) string {
	return `(__fish_complete_path (commandline -ct) | string match -r -- '.*(?:` + suffix + `|/)(?:\t.*)?$')`
}

// fishQuote is s single-quoted for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
