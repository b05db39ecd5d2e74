package gogen

import (
	"github.com/dave/jennifer/jen"

	"github.com/kailashgen/kailashgen/compiler/backend"
)

// scheduleEntries are the workflow's schedules for serve (format section 15): each one's
// name, next firing (cron.Cron or cron.Every of runtimelib/impl/cron), inputs as JSON and
// overlap policy.
func (e *emitter) scheduleEntries() []jen.Code {
	var entries []jen.Code
	for _, s := range e.prog.Schedules {
		next := jen.Qual(cronPath, "Every").Call(backend.DurationLit(s.Every))
		if s.Cron != "" {
			next = jen.Qual(cronPath, "Cron").Call(jen.Lit(s.Cron), jen.Lit(s.Timezone))
		}
		entries = append(entries, jen.Values(
			backend.KV("Name", jen.Lit(s.Name)),
			backend.KV("Next", next),
			backend.KV("Inputs", jen.Lit(s.Inputs)),
			backend.KV("Overlap", jen.Lit(s.Overlap)),
		))
	}
	return entries
}

// namesAZone reports whether a schedule names a time zone: the binary then links time/tzdata,
// so that it knows the zone on a machine without zoneinfo files.
func (e *emitter) namesAZone() bool {
	for _, s := range e.prog.Schedules {
		if s.Timezone != "" {
			return true
		}
	}
	return false
}

// temporalSchedules are the workflow's schedules for the Temporal binary's schedule apply,
// each as its spec; nil without one.
func (e *emitter) temporalSchedules() jen.Code {
	if len(e.prog.Schedules) == 0 {
		return jen.Nil()
	}
	entries := make([]jen.Code, len(e.prog.Schedules))
	for i, s := range e.prog.Schedules {
		fields := []jen.Code{backend.KV("Name", jen.Lit(s.Name))}
		if s.Cron != "" {
			fields = append(fields, backend.KV("Cron", jen.Lit(s.Cron)))
		} else {
			fields = append(fields, backend.KV("Every", backend.DurationLit(s.Every)))
		}
		if s.Timezone != "" {
			fields = append(fields, backend.KV("Timezone", jen.Lit(s.Timezone)))
		}
		entries[i] = jen.Values(append(fields, backend.KV("Inputs", jen.Lit(s.Inputs)), backend.KV("Overlap", jen.Lit(s.Overlap)))...)
	}
	return jen.Index().Qual(temporalrtPath, "Schedule").Values(backend.Multiline(entries)...)
}
