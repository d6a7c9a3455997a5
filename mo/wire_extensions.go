package mo

import "strconv"

// wireExtensions are an engagement's extension fields as both of MO's APIs
// send them (extension_1 .. extension_10); only those AD_MAPPING uses are
// asked for, and absent or null is none.
type wireExtensions struct {
	Extension1  wstr `json:"extension_1"`
	Extension2  wstr `json:"extension_2"`
	Extension3  wstr `json:"extension_3"`
	Extension4  wstr `json:"extension_4"`
	Extension5  wstr `json:"extension_5"`
	Extension6  wstr `json:"extension_6"`
	Extension7  wstr `json:"extension_7"`
	Extension8  wstr `json:"extension_8"`
	Extension9  wstr `json:"extension_9"`
	Extension10 wstr `json:"extension_10"`
}

// extension is extension field n (1..10); the zero wstr for another n.
func (x *wireExtensions) extension(n int) wstr {
	all := [...]*wstr{&x.Extension1, &x.Extension2, &x.Extension3, &x.Extension4, &x.Extension5,
		&x.Extension6, &x.Extension7, &x.Extension8, &x.Extension9, &x.Extension10}
	if n < 1 || n > len(all) {
		return wstr{}
	}
	return *all[n-1]
}

// values returns the non-empty fields of ns by name ("extension_3"), nil
// when there are none.
func (x *wireExtensions) values(ns []int) map[string]string {
	var out map[string]string
	for _, n := range ns {
		if v := x.extension(n); !v.null && v.v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out["extension_"+strconv.Itoa(n)] = v.v
		}
	}
	return out
}
