package screening

import "github.com/openkyc/kyc"

// Sandbox is the source of the built-in fictional list screened in sandbox, beside the
// imported lists, so that an integration can trigger a hit on purpose. Its names are
// invented; README "Screening" documents them, and a test keeps the two the same.
const Sandbox Source = "sandbox"

// SandboxEntries are the fictional parties of the sandbox list.
var SandboxEntries = []Entry{
	{Ref: "SBX-001", Kind: Person, Name: "Sandy Sanctioned", Births: []Date{"1970-01-01"}, Countries: []string{"SG"}, Programs: []string{"SANDBOX"}},
	{Ref: "SBX-002", Kind: Person, Name: "Ivan Blocklistov", Aliases: []string{"Иван Блоклистов"}, Births: []Date{"1965"}, Countries: []string{"RU"}, Programs: []string{"SANDBOX"}},
	{Ref: "SBX-003", Kind: Person, Name: "Petra Watchlister", Countries: []string{"DE"}, Programs: []string{"SANDBOX"}},
	{Ref: "SBX-004", Kind: Organisation, Name: "Sandbox Embargoed Trading LLC", Aliases: []string{"SET LLC"}, Countries: []string{"AE"}, Programs: []string{"SANDBOX"}},
}

// SandboxList is the sandbox list as the index takes it.
func SandboxList() Loaded {
	aliases := 0
	for _, e := range SandboxEntries {
		aliases += len(e.Aliases)
	}
	return Loaded{
		Snapshot: kyc.ListSnapshot{ID: "list_sandbox", Source: string(Sandbox), Version: 1, Entries: len(SandboxEntries), Aliases: aliases},
		Entries:  SandboxEntries,
	}
}
