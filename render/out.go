package render

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"moxsync/engine"
)

// outBufferSize is the size of the one buffer a render writes through:
// large enough that a 50 MB plan is a few hundred writes, not half a
// million.
const outBufferSize = 256 << 10

// out is where one render writes: each line (or block of lines) is built
// by appending into line, a []byte reused for the whole render, and handed
// to one bufio.Writer, which flush sends on. After the first write error
// every write is a no-op and err holds the error.
type out struct {
	bw   *bufio.Writer
	line []byte
	err  error
	// cpr caches engine.IsCPRField per attribute and source: a plan has a
	// handful of them, and the check lower-cases the attribute each time.
	cpr map[cprKey]bool
}

type cprKey struct{ attr, source string }

func newOut(w io.Writer) *out {
	return &out{bw: bufio.NewWriterSize(w, outBufferSize), line: make([]byte, 0, 1024), cpr: map[cprKey]bool{}}
}

// buf returns the reused line buffer, emptied.
func (o *out) buf() []byte { return o.line[:0] }

// write writes b (usually from buf) and keeps it as the line buffer.
func (o *out) write(b []byte) {
	o.line = b[:0]
	if o.err != nil {
		return
	}
	_, o.err = o.bw.Write(b)
}

// writeString writes s as is.
func (o *out) writeString(s string) {
	if o.err != nil {
		return
	}
	_, o.err = o.bw.WriteString(s)
}

// printf formats into the line buffer; for the few lines a plan has once.
func (o *out) printf(format string, args ...any) {
	o.write(fmt.Appendf(o.buf(), format, args...))
}

// flush sends what is buffered and returns the first error.
func (o *out) flush() error {
	if o.err == nil {
		o.err = o.bw.Flush()
	}
	return o.err
}

// isCPRField is engine.IsCPRField, remembered per attribute and source.
func (o *out) isCPRField(f engine.Field) bool {
	k := cprKey{f.Attr, f.Source}
	v, ok := o.cpr[k]
	if !ok {
		v = engine.IsCPRField(f)
		o.cpr[k] = v
	}
	return v
}

// spaces is the padding appendPadded copies from.
const spaces = "                                                                "

// appendPadded appends s and then spaces up to width runes, as fmt's
// "%-*s" does (width counts runes, not bytes).
func appendPadded(b []byte, s string, width int) []byte {
	b = append(b, s...)
	return appendSpaces(b, width-utf8.RuneCountInString(s))
}

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(b []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		b = append(b, spaces[:k]...)
		n -= k
	}
	return b
}

// appendCount appends n with a comma between thousands: 12,345.
func appendCount(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	if n < 1000 {
		return strconv.AppendInt(b, int64(n), 10)
	}
	b = appendCount(b, n/1000)
	r := n % 1000
	b = append(b, ',', byte('0'+r/100), byte('0'+r/10%10), byte('0'+r%10))
	return b
}
