//go:build !unix

package cli

// keepWritingPastFileLimits does nothing where there is no SIGXFSZ.
func keepWritingPastFileLimits() {}
