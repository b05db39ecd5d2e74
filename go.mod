module github.com/kailashgen/kailashgen

go 1.26.8

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
