// Package templates holds the text templates of the files that kailashgen writes besides
// generated Go code.
package templates

import (
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// GoMod is the go.mod of the temporary module in which `kailashgen build` compiles a workflow
// that lies outside any Go module. Its data is a GoModData.
var GoMod = template.Must(template.ParseFS(files, "go.mod.tmpl"))

// GoModData fills GoMod.
type GoModData struct {
	Comment   string   // the first line, which says who wrote it and why
	Module    string   // the module's path
	GoVersion string   // the go directive of kailashgen's own go.mod
	Requires  []string // "path version" lines: kailashgen and the runtime library's dependencies
	Replace   string   // where the embedded kailashgen module was written, relative to go.mod
}

// Starters are the files of kailashgen init's go generate starter, in _starters/gogenerate
// (a folder that the go command skips: its package main imports a module it names MODULE,
// which init replaces with the new module's path).
//
//go:embed all:_starters
var Starters embed.FS
