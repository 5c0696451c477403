package kyc

// Collection is the JSON:API document of a list of profiles: one page of them, how the page
// was cut, and the links to the first and the next page. The server writes it and the client
// reads it, so both share this one definition.
type Collection struct {
	Data  []Resource      `json:"data"`
	Meta  CollectionMeta  `json:"meta"`
	Links CollectionLinks `json:"links"`
}

// CollectionMeta describes a page. There is no total: counting every row on each page
// would cost what the cursor saves.
type CollectionMeta struct {
	Page PageMeta `json:"page"`
}

// PageMeta is the page's size, number and count.
type PageMeta struct {
	Size   int `json:"size"`             // the page size asked for
	Number int `json:"number,omitempty"` // with page numbers; 0 when paging by cursor
	Count  int `json:"count"`            // profiles in this page
}

// CollectionLinks are relative references (path and query): a server cannot know the host
// and scheme a proxy in front of it shows to clients.
type CollectionLinks struct {
	Self  string  `json:"self"`
	First string  `json:"first"`
	Next  *string `json:"next"` // by cursor (page[after]; page[before] for webhook events); null on the last page
}

// History is the document of a profile's status history, oldest transition first.
type History struct {
	Data []Transition `json:"data"`
}
