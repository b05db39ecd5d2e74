// Package panics turns a node's recovered panic into its error (format section 4): a
// message beginning "panic: " and ending with the workflow's line that panicked, and the
// stack, in YAML positions, for a debug log.
package panics

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// Error is a node's panic.
type Error struct {
	// Value is what the code panicked with.
	Value any
	// At is the workflow file's position of the innermost line of a node's code on the
	// stack ("workflow.yaml:12"), or "" when no workflow code was (a Func node's panic
	// inside the user's Go package shows the func: line, where the generated call is).
	At string
	// Stack is the panicking goroutine's frames, innermost first, one "function\n\tFILE:LINE"
	// each, down to the runtime library's first: node code at its workflow position, thanks
	// to the generated //line directives.
	Stack string
}

// Error is "panic: VALUE at FILE:LINE".
func (e *Error) Error() string {
	if e.At == "" {
		return fmt.Sprintf("panic: %v", e.Value)
	}
	return fmt.Sprintf("panic: %v at %s", e.Value, e.At)
}

// Recovered is the error of a panic with value p. It must be called by the deferred
// function that recovered p, while the panicking frames are still on the stack.
func Recovered(p any) *Error {
	frames := panickingFrames()
	e := &Error{Value: p}
	var stack strings.Builder
	for _, f := range frames {
		if e.At == "" && workflowFile(f.File) {
			e.At = f.File + ":" + strconv.Itoa(f.Line)
		}
	}
	for _, f := range frames {
		if strings.HasPrefix(f.Function, runtimeLibrary) && stack.Len() > 0 {
			break // the scheduler's frames below the node's: the same in every stack
		}
		stack.WriteString(f.Function + "\n\t" + f.File + ":" + strconv.Itoa(f.Line) + "\n")
	}
	e.Stack = stack.String()
	return e
}

// runtimeLibrary begins the names of the functions of kailashgen's runtime library.
const runtimeLibrary = "github.com/kailashgen/kailashgen/runtimelib"

// panickingFrames are the frames of the code that panicked, innermost first: those after the
// runtime's panic machinery (the recovering function, and Recovered, come before it).
func panickingFrames() []runtime.Frame {
	pcs := make([]uintptr, 100)
	pcs = pcs[:runtime.Callers(3, pcs)]
	var all []runtime.Frame
	for frames := runtime.CallersFrames(pcs); ; {
		f, more := frames.Next()
		all = append(all, f)
		if !more {
			break
		}
	}
	after := 0
	for i, f := range all {
		if isPanicking(f.Function) {
			after = i + 1
		}
	}
	return all[after:]
}

// isPanicking reports whether function is the runtime's panic machinery (gopanic, and the
// functions that raise an index, nil or division panic), after which the panicking code's
// own frames come.
func isPanicking(function string) bool {
	return function == "runtime.gopanic" || strings.HasPrefix(function, "runtime.panic") ||
		function == "runtime.sigpanic" || strings.HasPrefix(function, "runtime.goPanic")
}

// workflowFile reports whether a frame's file is a workflow's: generated node code carries
// the workflow's file name through //line directives; Go and assembly files are not.
func workflowFile(file string) bool {
	return file != "" && !strings.HasSuffix(file, ".go") && !strings.HasSuffix(file, ".s")
}
