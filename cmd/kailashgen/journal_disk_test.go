package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallDisk mounts a tmpfs of size (like "256k") for the test: a real file system that fills
// up, or that can be made read-only. Mounting needs root, as scripts/test and CI run.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	require.Zero(t, os.Geteuid(), "mounting a small file system to fill needs root: run the tests as scripts/test does, as root")
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Cleanup(func() { exec.Command("umount", dir).Run() }) // before TempDir's removal
	return dir
}

func remount(t *testing.T, dir, options string) {
	t.Helper()
	out, err := exec.Command("mount", "-o", "remount,"+options, dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// fill writes a file in dir until the file system is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	require.NoError(t, err)
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			require.True(t, errors.Is(err, syscall.ENOSPC), "%v", err)
			return
		}
	}
}

// bulkyWorkflow is n independent nodes, each with an output of about 24 KB.
func bulkyWorkflow(n int) string {
	var b strings.Builder
	b.WriteString("kailash: 1\nname: bulky\nnodes:\n")
	for k := range n {
		fmt.Fprintf(&b, "  n%02d:\n    type: Code\n    outputs: {text: string}\n    code: |\n      text = strings.Repeat(%q, 8000)\n", k, fmt.Sprintf("%03d", k))
	}
	return b.String()
}

func TestAJournalThatCannotBeWrittenRefusesTheRunAtStart(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "bulky", bulkyWorkflow(3), "journal")

	full := smallDisk(t, "64k")
	fill(t, full)
	journal := filepath.Join(full, "runs.db")
	code, stdout, stderr := run(t, bin, "", "--journal", journal)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "bulky: journal "+journal+": database or disk is full (13)\n", stderr)

	ro := smallDisk(t, "1m")
	journal = filepath.Join(ro, "runs.db")
	code, _, stderr = run(t, bin, "", "--journal", journal, "--run-id", "first")
	require.Equal(t, 0, code, stderr)
	remount(t, ro, "ro")
	for _, args := range [][]string{{"--run-id", "second"}, {"--resume", "first"}} {
		code, stdout, stderr = run(t, bin, "", append([]string{"--journal", journal}, args...)...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, stdout)
		assert.Equal(t, "bulky: journal "+journal+": open "+journal+": read-only file system\n", stderr, "%v", args)
	}
}

func TestAJournalThatFillsUpMidRunFailsTheRunCleanly(t *testing.T) {
	t.Parallel()
	bin := buildText(t, "bulky", bulkyWorkflow(40), "journal")
	disk := smallDisk(t, "400k")
	journal := filepath.Join(disk, "runs.db")
	code, stdout, stderr := run(t, bin, "", "--journal", journal, "--run-id", "big", "--max-concurrent-nodes", "1")
	require.Equal(t, 1, code, stderr)
	res := decodeResult(t, stdout)
	require.NotEmpty(t, res.Results, "nodes were recorded before the disk filled")
	var unrecorded []string
	for id, msg := range res.Errors {
		if msg == "outputs not recorded in the journal: database or disk is full (13)" {
			unrecorded = append(unrecorded, id)
		} else {
			assert.Contains(t, msg, "interrupted: journal "+journal+": database or disk is full", id)
		}
	}
	require.NotEmpty(t, unrecorded, "%v", res.Errors)
	assert.Equal(t, 40, len(res.Results)+len(res.Errors)+len(res.Skipped), "every node is accounted for")
	for _, id := range unrecorded {
		assert.Contains(t, stderr, `msg="node outputs not recorded in the journal" workflow=bulky workflow_id=big node=`+id+` error="database or disk is full (13)"`)
	}

	// With room again, the run resumes from what was recorded.
	remount(t, disk, "size=16m")
	code, stdout, stderr = run(t, bin, "", "--journal", journal, "--resume", "big", "--profile")
	require.Equal(t, 0, code, stderr)
	resumed := decodeResult(t, stdout)
	assert.Len(t, resumed.Results, 40)
	assert.Len(t, resumed.Metrics.Restored, len(res.Results))
	for id := range res.Results {
		assert.Contains(t, resumed.Metrics.Restored, id)
	}
	integrityOK(t, openJournal(t, journal))
}
