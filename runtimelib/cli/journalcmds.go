package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kailashgen/kailashgen/internal/names"
	"github.com/kailashgen/kailashgen/runtimelib"
)

// journalCommand parses the flags of a command that reads a journal: --journal FILE and the
// text flags named in more (as --NAME VALUE or --NAME=VALUE, with one or two dashes), then
// the operands. -h sets help.
func journalCommand(args []string, more ...string) (flags map[string]string, operands []string, help bool, err error) {
	flags = map[string]string{}
	known := append([]string{"journal"}, more...)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(operands, args[i+1:]...), false, nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			operands = append(operands, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, nil, true, nil
		}
		if !slices.Contains(known, name) {
			return nil, nil, false, fmt.Errorf("unknown flag %s; this command takes --%s", a, strings.Join(known, ", --"))
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, nil, false, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if value == "" {
			return nil, nil, false, fmt.Errorf("flag --%s needs a value", name)
		}
		flags[name] = value
	}
	if flags["journal"] == "" {
		return nil, nil, false, errors.New("flag --journal FILE is required: the journal that holds the runs")
	}
	return flags, operands, false, nil
}

// eventCommand is `NAME event --journal FILE --run-id ID EVENT JSON` (format section 14): it
// records an event of a journaled run, which --resume then gives to its Wait node. Exit 0
// once recorded; 2 for bad flags, an unknown run or event, or a payload of the wrong type; 1
// for a run that has ended.
func eventCommand(p Program, args []string, stdout, stderr io.Writer) int {
	const synopsis = "event --journal FILE --run-id ID EVENT JSON"
	flags, operands, help, err := journalCommand(args, "run-id")
	switch {
	case help:
		fmt.Fprintf(stdout, "Usage: %s %s\n\nRecords an event of a journaled run that waits for it (exit status 3); --resume ID then\ngoes on from where the run stopped. Exit status: 0 recorded, 1 the run has ended, 2 bad\nflags, an unknown run or event, or a payload that is not JSON of the Wait node's type.\n", p.Name, synopsis)
		return 0
	case err != nil:
		return commandError(p, "event", synopsis, err, stderr)
	case flags["run-id"] == "":
		return commandError(p, "event", synopsis, errors.New("flag --run-id ID is required: the run that waits"), stderr)
	case len(operands) != 2:
		return commandError(p, "event", synopsis, fmt.Errorf("give the event's name and its payload as JSON, not %d operands", len(operands)), stderr)
	case !runtimelib.JournalLinked():
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, p.Missing("event", names.Journal))
		return 2
	}
	given := map[string]json.RawMessage{}
	if err := p.addEvent(given, operands[0], json.RawMessage(operands[1]), ""); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 2
	}
	err = runtimelib.RecordEvent(context.Background(), flags["journal"], flags["run-id"], operands[0], given[operands[0]])
	switch {
	case errors.Is(err, runtimelib.ErrRunEnded):
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 2
	}
	fmt.Fprintf(stderr, "%s: recorded event %s of run %s; continue it with --journal %s --resume %s\n",
		p.Name, operands[0], flags["run-id"], flags["journal"], flags["run-id"])
	return 0
}

// runsCommand is `NAME runs --journal FILE [--status S]` (format section 13, 1.2): the
// journal's runs as GET /runs answers them, newest first.
func runsCommand(p Program, args []string, stdout, stderr io.Writer) int {
	const synopsis = "runs --journal FILE [--status running|waiting|succeeded|failed|cancelled]"
	flags, operands, help, err := journalCommand(args, "status")
	switch {
	case help:
		fmt.Fprintf(stdout, "Usage: %s %s\n\nPrints the journal's runs, newest first, as one JSON object:\n{\"runs\": [{\"workflow_id\", \"status\", \"started\", \"ended\"}]}. A run that stopped without an\noutcome (a crash, kill -9) is failed: --resume continues it.\n", p.Name, synopsis)
		return 0
	case err != nil:
		return commandError(p, "runs", synopsis, err, stderr)
	case len(operands) > 0:
		return commandError(p, "runs", synopsis, fmt.Errorf("unexpected operand %q", operands[0]), stderr)
	case flags["status"] != "" && !slices.Contains(runtimelib.Statuses, flags["status"]):
		return commandError(p, "runs", synopsis, fmt.Errorf("flag --status: %q is not one of %s", flags["status"], strings.Join(runtimelib.Statuses, ", ")), stderr)
	case !runtimelib.JournalLinked():
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, p.Missing("runs", names.Journal))
		return 2
	}
	runs, err := runtimelib.JournalRuns(context.Background(), flags["journal"], flags["status"])
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 2
	}
	out, err := json.Marshal(map[string]any{"runs": runs})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return 0
}

// commandError says what is wrong with a command's command line, and its synopsis; exit 2.
func commandError(p Program, command, synopsis string, err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "%s %s: %v\nUsage: %s %s\n", p.Name, command, err, p.Name, synopsis)
	return 2
}
