package toolchain

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// exportData returns the export data that gcexportdata.Read takes, from a file that
// `go list -export` wrote. Up to Go 1.27 that is a compiler archive (the ar format), whose
// __.PKGDEF member holds header lines, then "$$B\n", the export data, and "\n$$\n"; from
// Go 1.28 on it is the export data itself. (gcexportdata.NewReader, which unpacked archives,
// is deprecated and stops doing so in Go 1.29.)
func exportData(file []byte) ([]byte, error) {
	const magic = "!<arch>\n"
	if !bytes.HasPrefix(file, []byte(magic)) {
		return file, nil
	}
	rest := file[len(magic):]
	for len(rest) >= 60 {
		header := rest[:60]
		name := strings.TrimSpace(string(header[:16]))
		size, err := strconv.Atoi(strings.TrimSpace(string(header[48:58])))
		if err != nil || size < 0 || 60+size > len(rest) {
			return nil, fmt.Errorf("malformed archive member header %q", header)
		}
		member := rest[60 : 60+size]
		if name == "__.PKGDEF" {
			return pkgDefExportData(member)
		}
		rest = rest[60+size+size%2:] // members are padded to an even size
	}
	return nil, fmt.Errorf("no __.PKGDEF member in the archive")
}

// pkgDefExportData cuts the export data out of a __.PKGDEF member.
func pkgDefExportData(def []byte) ([]byte, error) {
	const start, end = "$$B\n", "\n$$\n"
	i := 0
	for !bytes.HasPrefix(def[i:], []byte(start)) {
		nl := bytes.IndexByte(def[i:], '\n')
		if nl < 0 {
			return nil, fmt.Errorf("no export data section in __.PKGDEF")
		}
		i += nl + 1
	}
	data := def[i+len(start):]
	if !bytes.HasSuffix(data, []byte(end)) {
		return nil, fmt.Errorf("export data section without its end marker")
	}
	return data[:len(data)-len(end)], nil
}
