package runtimelib

// Version is the version of kailashgen that generated and built a workflow binary.
const Version = "0.2.0"
