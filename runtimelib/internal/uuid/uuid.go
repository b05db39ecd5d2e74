package uuid

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// New returns a random (version 4, RFC 9562) UUID in its canonical text form: a run's
// workflow_id. Its bits come from the runtime's random source (math/rand/v2's top-level
// functions: ChaCha8, seeded from the operating system's entropy when the process starts),
// not from crypto/rand, whose first use costs a fresh process about 0.2 to 0.4 ms (measured
// here), a fifth of a 1,000-node run; an id names a run, and guards nothing.
func New() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
