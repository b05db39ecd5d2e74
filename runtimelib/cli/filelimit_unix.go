//go:build unix

package cli

import (
	"os/signal"
	"syscall"
)

// keepWritingPastFileLimits ignores SIGXFSZ, so that a journal write past the process's
// file size limit (ulimit -f) fails as a full disk does, and the run reports which nodes'
// outputs were not recorded, instead of the signal killing the process mid-write.
func keepWritingPastFileLimits() { signal.Ignore(syscall.SIGXFSZ) }
