package runtimelib

// What the package's external tests (package runtimelib_test, which may import the journal
// without an import cycle) use of its internal test helpers.
var FusedChain = fusedChain
