// Package cron is what generated code calls for a workflow's schedules (format section 15):
// the next firing of a cron spec or an interval. Only a binary with schedules imports it, and
// so links the cron parser.
package cron

import (
	"time"

	robfig "github.com/robfig/cron/v3"
)

// cronParser reads a schedule's cron: five fields (minute hour day month weekday) or a
// descriptor (@hourly, @daily, ...).
var cronParser = robfig.NewParser(robfig.Minute | robfig.Hour | robfig.Dom | robfig.Month | robfig.Dow | robfig.Descriptor)

// Check reports why spec is not a cron spec that Cron takes, or nil: the compiler checks a
// schedule's cron with it, so that what it accepts is what the binary parses.
func Check(spec string) error {
	_, err := cronParser.Parse(spec)
	return err
}

// Cron is the next firing of a schedule's cron spec after a time, in the time zone tz (""
// for UTC) (format section 15). The compiler checked spec and tz; a generated file that names
// a zone imports time/tzdata, so that a static binary knows it on a machine without zoneinfo.
func Cron(spec, tz string) func(after, start time.Time) time.Time {
	loc := time.UTC
	if tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	s, err := cronParser.Parse(spec)
	if err != nil {
		panic("cron.Cron: the compiler checked this spec: " + err.Error())
	}
	return func(after, _ time.Time) time.Time { return s.Next(after.In(loc)) }
}

// Every is the next firing of an every: schedule after a time: the next multiple of d from
// start (serve's start).
func Every(d time.Duration) func(after, start time.Time) time.Time {
	return func(after, start time.Time) time.Time {
		if after.Before(start) {
			return start.Add(d)
		}
		return start.Add((after.Sub(start)/d + 1) * d)
	}
}
