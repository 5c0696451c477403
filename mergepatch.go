package kyc

// MergePatch applies an RFC 7396 JSON Merge Patch to target and returns the result. Members
// of patch replace those of target; a null member removes the target's member; an object
// member is merged into the target's object of the same name, recursively. Arrays are
// replaced whole, as the RFC says. Neither argument is modified.
func MergePatch(target, patch map[string]any) map[string]any {
	out := make(map[string]any, len(target)+len(patch))
	for k, v := range target {
		out[k] = v
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(out, k)
		case map[string]any:
			tv, _ := out[k].(map[string]any) // a non-object target member is replaced
			out[k] = MergePatch(tv, pv)
		default:
			out[k] = v
		}
	}
	return out
}
