package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kailashgen/kailashgen/runtimelib"
)

// A run that a process is running holds a lease on its row (holder, lease_until), which the
// process renews while the run lasts: a second process that resumes the run while the
// first lives is refused, so that no node runs twice at once (format section 13, 1.2). The
// lease lapses when its holder dies: at once when the holder was a process of this machine
// that no longer exists (kill -9), else when it was not renewed for leaseFor.
const (
	leaseFor   = 30 * time.Second
	renewEvery = leaseFor / 3
)

// thisHost is this machine's name in a lease's holder, a word without spaces.
var thisHost = func() string {
	host, _ := os.Hostname()
	return strings.ReplaceAll(host, " ", "_")
}()

// me is this process as a lease's holder: its pid, its machine, and a word of its own (a
// reused pid is another holder).
var me = fmt.Sprintf("%d %s %d", os.Getpid(), thisHost, time.Now().UnixNano())

// leaseUntil is when a lease taken or renewed now lapses, as the journal records it.
func leaseUntil() string { return runtimelib.RunTime(time.Now().Add(leaseFor)) }

// leaseColumns are the runs table's columns of the lease, which a journal of an earlier
// version gets when it is opened (see prepare).
var leaseColumns = []string{"holder TEXT", "lease_until TEXT"}

// addLeaseColumns adds the lease's columns to the runs table of a journal that lacks them.
func addLeaseColumns(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT name FROM pragma_table_info('runs')`)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have[name] = true
	}
	rows.Close()
	for _, col := range leaseColumns {
		if name, _, _ := strings.Cut(col, " "); !have[name] {
			if _, err := tx.Exec(`ALTER TABLE runs ADD COLUMN ` + col); err != nil {
				return err
			}
		}
	}
	return nil
}

// heldByAnother returns why run cannot be taken now: another process holds its lease and
// lives; "" when the run is free.
func heldByAnother(ctx context.Context, tx *sql.Tx, run string) (string, error) {
	var holder, until, ended sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT holder, lease_until, ended FROM runs WHERE id = ?`, run).Scan(&holder, &until, &ended); err != nil {
		return "", err
	}
	if holder.String == me || ended.Valid {
		return "", nil
	}
	pid, host, live := leaseLives(holder, until)
	if !live {
		return "", nil
	}
	return fmt.Sprintf("run %s is being run by another process (pid %s on %s); --resume it once that process has ended", run, pid, host), nil
}

// leaseLives reports whether a run's lease, held by holder ("PID HOST ...") until until, is
// in force: not lapsed, and its holder perhaps alive (holderLives). It returns the holder's
// pid and host.
func leaseLives(holder, until sql.NullString) (pid, host string, live bool) {
	if !holder.Valid {
		return "", "", false
	}
	t, err := time.Parse(time.RFC3339Nano, until.String)
	pid, host, _ = strings.Cut(holder.String, " ")
	host, _, _ = strings.Cut(host, " ")
	return pid, host, err == nil && time.Now().Before(t) && holderLives(pid, host)
}

// holderLives reports whether a lease's holder, process pid of machine host, may be alive: a
// process of another machine is taken to live until its lease lapses; one of this machine,
// only while its pid exists.
func holderLives(pidText, host string) bool {
	pid, err := strconv.Atoi(pidText)
	if err != nil || host != thisHost || runtime.GOOS == "windows" {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, os.ErrPermission)
}

// take gives run's lease to this process, within tx.
func take(ctx context.Context, tx *sql.Tx, run string) error {
	_, err := tx.ExecContext(ctx, `UPDATE runs SET holder = ?, lease_until = ? WHERE id = ?`, me, leaseUntil(), run)
	return err
}

// leases renews the leases of the runs this process runs, until each is finished.
type leases struct {
	mu      sync.Mutex
	renewed map[string]chan struct{} // closed to stop renewing a run's lease
}

// hold renews run's lease every renewEvery until release.
func (j *Journal) hold(run string) {
	j.leases.mu.Lock()
	defer j.leases.mu.Unlock()
	if j.leases.renewed == nil {
		j.leases.renewed = map[string]chan struct{}{}
	}
	if _, ok := j.leases.renewed[run]; ok {
		return
	}
	stop := make(chan struct{})
	j.leases.renewed[run] = stop
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		tick := time.NewTicker(renewEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				// A failure to renew is a lease that lapses: another process may then take a
				// run that this one still runs, which is what the lease is there to avoid
				// only while the journal can be written at all.
				j.db.Exec(`UPDATE runs SET lease_until = ? WHERE id = ? AND holder = ?`, leaseUntil(), run, me) //nolint:errcheck // see above
			}
		}
	}()
}

// release stops renewing run's lease (or every run's, for "") and gives it up.
func (j *Journal) release(run string) {
	j.leases.mu.Lock()
	defer j.leases.mu.Unlock()
	for r, stop := range j.leases.renewed {
		if run == "" || r == run {
			close(stop)
			delete(j.leases.renewed, r)
		}
	}
}
