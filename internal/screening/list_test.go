package screening_test

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/listtest"
	"github.com/openkyc/kyc/internal/screening"
)

func entryByRef(t *testing.T, l *screening.List, ref string) screening.Entry {
	t.Helper()
	for _, e := range l.Entries {
		if e.Ref == ref {
			return e
		}
	}
	t.Fatalf("%s: no entry %s", l.Source, ref)
	return screening.Entry{}
}

// TestRealOFAC reads every record of the real SDN set: the counts are those of its README.
func TestRealOFAC(t *testing.T) {
	ofac, _ := listtest.Real(t)
	kinds := map[screening.Kind]int{}
	for _, e := range ofac.Entries {
		kinds[e.Kind]++
	}
	if len(ofac.Entries) != 8976 || ofac.Aliases() != 11910 {
		t.Errorf("entries %d, aliases %d; want 8976 and 11910", len(ofac.Entries), ofac.Aliases())
	}
	want := map[screening.Kind]int{screening.Person: 4620, screening.Organisation: 3673, screening.Vessel: 406, screening.Aircraft: 277}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if ofac.Published != nil || len(ofac.SHA256) != 64 {
		t.Errorf("published %v, sha %q: want none and a hex SHA-256", ofac.Published, ofac.SHA256)
	}
	got := entryByRef(t, ofac, "32391")
	wantEntry := screening.Entry{Ref: "32391", Kind: screening.Person, Name: "DJIBO, Ousmane Illiassou",
		Aliases: []string{"KOUNOU, Ousmane Illasou", "DJIBO, Halid Illiassou"},
		Births:  []screening.Date{"1984"}, Countries: []string{"ML", "NE"}, Programs: []string{"SDGT"}}
	if diff := cmp.Diff(wantEntry, got); diff != "" {
		t.Errorf("entry 32391 (-want +got):\n%s", diff)
	}
	zawahiri := entryByRef(t, ofac, "2676")
	if !slices.Contains(zawahiri.Births, "1951-06-19") || len(zawahiri.Aliases) == 0 {
		t.Errorf("entry 2676: %+v, want the DOB 1951-06-19 and aliases", zawahiri)
	}
	if p := entryByRef(t, ofac, "306").Programs; !slices.Equal(p, []string{"CUBA"}) {
		t.Errorf("programs of 306: %v", p)
	}
}

// TestRealUN reads every record of the real UN file.
func TestRealUN(t *testing.T) {
	_, un := listtest.Real(t)
	persons := 0
	for _, e := range un.Entries {
		if e.Kind == screening.Person {
			persons++
		}
	}
	if len(un.Entries) != 1003 || persons != 730 {
		t.Errorf("entries %d of which persons %d; want 1003 and 730", len(un.Entries), persons)
	}
	if want := time.Date(2026, 2, 27, 0, 0, 9, 554e6, time.UTC); un.Published == nil || !un.Published.Equal(want) {
		t.Errorf("published %v, want %v", un.Published, want)
	}
	want := screening.Entry{Ref: "CDi.001", Kind: screening.Person, Name: "ERIC BADEGE",
		Births: []screening.Date{"1971"}, Countries: []string{"CD", "RW"}, Programs: []string{"DRC"}}
	if diff := cmp.Diff(want, entryByRef(t, un, "CDi.001")); diff != "" {
		t.Errorf("CDi.001 (-want +got):\n%s", diff)
	}
	kakolele := entryByRef(t, un, "CDi.002")
	if !slices.Contains(kakolele.Aliases, "AIGLE BLANC") {
		t.Errorf("CDi.002 aliases %v, want AIGLE BLANC", kakolele.Aliases)
	}
}

func TestMalformedListsAreRefusedWithTheLine(t *testing.T) {
	sdn := "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
	header := "name,aliases,type,date_of_birth,country,reference\n"
	ofac := func(f screening.OFACFiles) func() error {
		return func() error { _, err := screening.ParseOFAC(f); return err }
	}
	one := func(src screening.Source, s string) func() error {
		return func() error { _, err := screening.Parse(src, strings.NewReader(s)); return err }
	}
	for _, tc := range []struct {
		name  string
		parse func() error
		want  string
	}{
		{"sdn: field count", ofac(screening.OFACFiles{SDN: strings.NewReader(sdn + "37,\"X\",-0-\r\n")}), "sdn.csv line 2"},
		{"sdn: bad quote", ofac(screening.OFACFiles{SDN: strings.NewReader(sdn + strings.Replace(sdn, "36", "37", 1) + "38,\"X,-0- ,\"CUBA\"\r\n")}), "sdn.csv line 3"},
		{"sdn: ent_num", ofac(screening.OFACFiles{SDN: strings.NewReader(strings.Replace(sdn, "36", "x36", 1))}), "sdn.csv line 1: ent_num"},
		{"sdn: twice", ofac(screening.OFACFiles{SDN: strings.NewReader(sdn + sdn)}), "sdn.csv line 2: entry 36 appears twice"},
		{"sdn: type", ofac(screening.OFACFiles{SDN: strings.NewReader(strings.Replace(sdn, ",-0- ,\"CUBA\"", ",\"ship\",\"CUBA\"", 1))}), "unknown SDN type"},
		{"sdn: no name", ofac(screening.OFACFiles{SDN: strings.NewReader(strings.Replace(sdn, "\"AEROCARIBBEAN AIRLINES\"", "-0-", 1))}), "line 1: empty name"},
		{"alt: unknown entry", ofac(screening.OFACFiles{SDN: strings.NewReader(sdn),
			Alt: strings.NewReader("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n99,13,\"aka\",\"X\",-0- \r\n")}), "alt.csv line 2: entry 99 is not in sdn.csv"},
		{"sdn missing", ofac(screening.OFACFiles{Alt: strings.NewReader("")}), "sdn.csv is required"},
		{"un: not XML", one(screening.UN, "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME>\n</INDIVIDUALS>"), "un line 3"},
		{"un: wrong root", one(screening.UN, "<?xml version=\"1.0\"?>\n<LIST/>"), "un line 2: root element <LIST>"},
		{"un: no reference", one(screening.UN, "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"), "un line 3: <INDIVIDUAL>"},
		{"un: bad date", one(screening.UN, "<CONSOLIDATED_LIST>\n<ENTITIES/><INDIVIDUALS>\n\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><INDIVIDUAL_DATE_OF_BIRTH><DATE>1999-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"), "un line 4: <INDIVIDUAL> X.1: date"},
		{"un: doctype", one(screening.UN, "<!DOCTYPE x [<!ENTITY a \"b\">]>\n<CONSOLIDATED_LIST/>"), "directive"},
		{"un: too deep", one(screening.UN, "<CONSOLIDATED_LIST>"+strings.Repeat("<A>", 20)), "nested deeper"},
		{"un: empty", one(screening.UN, ""), "no <CONSOLIDATED_LIST>"},
		{"un: bad generated", one(screening.UN, `<CONSOLIDATED_LIST dateGenerated="yesterday"/>`), "dateGenerated"},
		{"custom: header", one(screening.Custom, "name,type\nA,person\n"), "custom line 1"},
		{"custom: type", one(screening.Custom, header+"A,,person,,,r1\nB,,ship,,,r2\n"), "custom line 3: type \"ship\""},
		{"custom: date", one(screening.Custom, header+"A,,person,1990-13-01,,r1\n"), "custom line 2: date_of_birth"},
		{"custom: country", one(screening.Custom, header+"A,,person,,UK,r1\n"), "custom line 2: country \"UK\""},
		{"custom: twice", one(screening.Custom, header+"A,,person,,,r1\nB,,person,,,r1\n"), "custom line 3: reference \"r1\" appears twice"},
		{"custom: no reference", one(screening.Custom, header+"A,,person,,,\n"), "custom line 2: reference"},
		{"custom: empty", one(screening.Custom, ""), "empty file"},
		{"custom: long name", one(screening.Custom, header+strings.Repeat("A", 2000)+",,person,,,r1\n"), "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCustomList(t *testing.T) {
	l, err := screening.Parse(screening.Custom, strings.NewReader(
		"name,aliases,type,date_of_birth,country,reference\n"+
			"\"DOE, John\",Johnny Doe;J. Doe,person,1970-01-02;1971,SG;MY,deny-1\n"+
			"Acme Shell Ltd,,organisation,,VG,deny-2\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []screening.Entry{
		{Ref: "deny-1", Kind: screening.Person, Name: "DOE, John", Aliases: []string{"Johnny Doe", "J. Doe"},
			Births: []screening.Date{"1970-01-02", "1971"}, Countries: []string{"SG", "MY"}},
		{Ref: "deny-2", Kind: screening.Organisation, Name: "Acme Shell Ltd", Countries: []string{"VG"}},
	}
	if diff := cmp.Diff(want, l.Entries); diff != "" || l.Aliases() != 2 || len(l.SHA256) != 64 {
		t.Errorf("entries (-want +got):\n%s\naliases %d", diff, l.Aliases())
	}
}

// endless is a reader that never ends: a list that does not stop is refused at the bound.
type endless struct{ line []byte }

func (e endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], e.line)
	}
	return n, nil
}

func TestListSizeIsBounded(t *testing.T) {
	defer screening.SetFileLimit(1 << 20)()
	_, err := screening.ParseOFAC(screening.OFACFiles{SDN: endless{[]byte("1,\"A\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n")}})
	if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("err = %v, want the size bound", err)
	}
	_, err = screening.ParseUN(io.MultiReader(strings.NewReader("<CONSOLIDATED_LIST>"), endless{[]byte(" ")}))
	if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("err = %v, want the size bound", err)
	}
}

func snapshotOf(l *screening.List, id string) kyc.ListSnapshot {
	return kyc.ListSnapshot{ID: id, Source: string(l.Source), Version: 1, SHA256: l.SHA256, Entries: len(l.Entries), Aliases: l.Aliases()}
}
