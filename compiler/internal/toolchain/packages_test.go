package toolchain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/packages"
)

// TestAPackageThatCannotLoadNamesItsDependencysError: a package without export data whose
// own errors are empty failed because of a dependency (a missing go.sum line for pgx's, say);
// the message is that dependency's, not "cannot be loaded".
func TestAPackageThatCannotLoadNamesItsDependencysError(t *testing.T) {
	dep := &packages.Package{PkgPath: "github.com/jackc/pgx/v5/pgconn", Errors: []packages.Error{{
		Msg: "missing go.sum entry for module providing package github.com/jackc/puddle/v2 (imported by github.com/jackc/pgx/v5/pgconn)",
	}}}
	mid := &packages.Package{PkgPath: "github.com/jackc/pgx/v5", Imports: map[string]*packages.Package{"github.com/jackc/pgx/v5/pgconn": dep}}
	top := &packages.Package{PkgPath: "github.com/kailashgen/kailashgen/runtimelib/postgres", Imports: map[string]*packages.Package{"github.com/jackc/pgx/v5": mid}}
	assert.Equal(t, "missing go.sum entry for module providing package github.com/jackc/puddle/v2 (imported by github.com/jackc/pgx/v5/pgconn)", firstDepError(top))
	assert.Equal(t, "", firstDepError(&packages.Package{PkgPath: "fine"}))
}
