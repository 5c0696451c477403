package store

import (
	"path/filepath"
	"testing"
)

// A statement is prepared once per connection and reused; the same SQL run while rows of
// it are still being read gets a statement of its own, and both read correctly.
func TestSQLiteStatementsAreKept(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "kyc.db"))
	ctx := t.Context()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT column1 FROM (VALUES (1), (2), (3))`
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for rows.Next() {
		var v, again int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		// The same SQL, nested: must not reset the statement the outer loop reads.
		if err := conn.QueryRowContext(ctx, q).Scan(&again); err != nil || again != 1 {
			t.Fatalf("nested query: %d, %v", again, err)
		}
		sum += v
	}
	if err := rows.Close(); err != nil || sum != 6 {
		t.Fatalf("outer rows summed %d (%v), want 6", sum, err)
	}
	var kept *cachedStmt
	cached := func() {
		err := conn.Raw(func(dc any) error {
			c := dc.(*cachingConn)
			if c.stmts[q] == nil || c.stmts[q].busy {
				t.Fatalf("cache %v: want the one statement, free", c.stmts)
			}
			if kept != nil && c.stmts[q] != kept {
				t.Fatal("the statement was prepared again")
			}
			kept = c.stmts[q]
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cached()
	for range 3 {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	cached()
}
