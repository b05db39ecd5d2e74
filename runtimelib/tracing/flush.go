package tracing

import (
	"context"
	"log/slog"
	"time"
)

// FlushTimeout bounds how long a run or a worker waits, at its end, for its spans to be
// exported.
const FlushTimeout = 5 * time.Second

// Flush returns what exports the spans left when a run or a worker ends: shutdown (the
// provider's), bounded by FlushTimeout even when ctx is cancelled, logging why it could not
// under the message what.
func Flush(ctx context.Context, shutdown func(context.Context) error, log *slog.Logger, what string) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FlushTimeout)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Warn(what, "error", err.Error())
		}
	}
}
