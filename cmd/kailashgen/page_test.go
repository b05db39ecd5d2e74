package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/kailashgen/kailashgen/internal/testservers"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kgruntime "github.com/kailashgen/kailashgen/runtimelib"
)

// chromium starts a headless Chromium (Debian's, which scripts/test installs) with the flags
// this machine's closed network needs, and returns a browser context for the test.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := testservers.Tool(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 1600),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true)}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// artifacts is where a test leaves what a person may want to look at (KAILASHGEN_TEST_ARTIFACTS,
// which scripts/test sets, else the test's temporary folder).
func artifacts(t *testing.T) string {
	if dir := os.Getenv("KAILASHGEN_TEST_ARTIFACTS"); dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		return dir
	}
	return t.TempDir()
}

// TestServesPageRendersInABrowser loads serve's page in headless Chromium after three runs:
// it renders with no console error, the graph has every node, each run's timeline has a bar
// for every node that ran (and only those), and a screenshot is kept.
func TestServesPageRendersInABrowser(t *testing.T) {
	t.Parallel()
	bin := buildWorkflow(t, "../../examples/order_routing/workflow.yaml", "serve")
	s := startServe(t, bin)
	var ran [][]string
	for _, prices := range []string{`[900, 300]`, `[5]`, `[]`} {
		code, body := s.post(t, `{"prices": `+prices+`}`)
		require.Equal(t, 200, code, string(body))
		var res kgruntime.Result
		require.NoError(t, json.Unmarshal(body, &res))
		var nodes []string
		for id := range res.Results {
			nodes = append(nodes, id)
		}
		slices.Sort(nodes)
		ran = append([][]string{nodes}, ran...) // the page lists the newest first
	}

	ctx := chromium(t)
	listening, stopListening := context.WithCancel(ctx)
	messages := chromedp.Console(listening) // from before the page loads
	var mu sync.Mutex
	var problems []string
	listened := make(chan struct{})
	go func() {
		defer close(listened)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" || m.Type == "warning" || m.Type == "assert" {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url+"/"), chromedp.WaitReady("body")))
	graphNodes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#graph g.node').length`))
	require.NoError(t, err)
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('.run')).map(r =>
		Array.from(r.querySelectorAll('rect.bar')).map(b => b.dataset.node).sort())`))
	require.NoError(t, err)
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll('rect.bar, #graph rect')).every(r => {
		const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0 })`))
	require.NoError(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	stopListening()
	<-listened
	mu.Lock()
	assert.Empty(t, problems, "the page logs no error or warning")
	mu.Unlock()
	assert.Equal(t, 7, graphNodes)
	assert.Equal(t, ran, bars, "each run's timeline has a bar for each node that ran")
	assert.True(t, drawn, "every box and bar has a size on the screen")
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dy(), 800)
	file := filepath.Join(artifacts(t), "serve-page.png")
	require.NoError(t, os.WriteFile(file, shot, 0o644))
	t.Logf("screenshot: %s", file)
}
