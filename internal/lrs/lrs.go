// Package lrs sends xAPI statements to a learning record store (xAPI 1.0.3,
// part three: the statements resource).
//
// Statements go in batches with POST. A store that is down or busy (a 5xx
// or 429 answer, or no answer at all) is tried again with exponential
// backoff, waiting as long as its Retry-After says when it says. Sending is
// idempotent: Rapport's statement ids are derived from the records
// (report.StatementID), so a re-run sends the same ids, and a store that
// already holds one of them refuses the whole batch with 409 Conflict. Such
// a batch is sent again one statement at a time with PUT and its id, where
// the specification says the store answers 204 No Content whether it
// stored the statement or held it already, or 409 Conflict when it holds
// the id already: either way nothing is stored twice.
package lrs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Version is the xAPI version every request declares
// (X-Experience-API-Version).
const Version = "1.0.3"

// The environment variables that hold the store's credentials for HTTP
// basic authentication.
const (
	EnvUser     = "RAPPORT_LRS_USER"
	EnvPassword = "RAPPORT_LRS_PASSWORD"
)

// Defaults for a Client's zero fields.
const (
	DefaultBatch    = 50
	DefaultAttempts = 6
	DefaultBackoff  = 500 * time.Millisecond
	// MaxWait caps one wait, including one a Retry-After asks for.
	MaxWait = time.Minute
)

// Client sends statements to one store.
type Client struct {
	// Endpoint is the store's xAPI endpoint (statements are at
	// Endpoint/statements), or the statements resource itself.
	Endpoint string
	// User and Password are sent as basic authentication when User is
	// set.
	User, Password string
	// Batch is how many statements go in one POST (DefaultBatch if 0).
	Batch int
	// Attempts is how often one request is tried in all (DefaultAttempts
	// if 0); Backoff the first wait between tries, doubled each time
	// (DefaultBackoff if 0).
	Attempts int
	Backoff  time.Duration
	// HTTP is the client requests go through (a client with a 30 s timeout
	// if nil).
	HTTP *http.Client
	// Sleep waits between tries (a timer that stops with ctx if nil);
	// tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Summary is what a Send did.
type Summary struct {
	// Sent counts the statements the store took or held already in the
	// same form (a re-run); Held those whose id it holds for a different
	// statement (sent before from a changed record, or with other export
	// options), which it keeps as they were; Retries counts the requests
	// tried again.
	Sent, Held, Retries int
	// Batches counts the POSTs that were accepted or fell back to PUT.
	Batches int
}

// StatementsURL is the statements resource of an endpoint.
func StatementsURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("learning record store %q is not an http(s) URL such as https://lrs.example.org/xapi/", endpoint)
	}
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/statements") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/statements"
	}
	return u.String(), nil
}

// Send sends the statements in batches and returns what it did. It stops
// at the first batch the store will not take, with what was sent so far.
func (c *Client) Send(ctx context.Context, sts []report.Statement) (Summary, error) {
	var sum Summary
	target, err := StatementsURL(c.Endpoint)
	if err != nil {
		return sum, err
	}
	size := c.Batch
	if size <= 0 {
		size = DefaultBatch
	}
	// A batch with one id twice is refused whole (400), and the same
	// record may be named twice on a command line.
	seen := make(map[string]bool, len(sts))
	uniq := sts[:0:0]
	for _, st := range sts {
		if !seen[st.ID] {
			seen[st.ID] = true
			uniq = append(uniq, st)
		}
	}
	sts = uniq
	for start := 0; start < len(sts); start += size {
		batch := sts[start:min(start+size, len(sts))]
		body, err := json.Marshal(batch)
		if err != nil {
			return sum, fmt.Errorf("encode statements: %w", err)
		}
		code, msg, err := c.do(ctx, &sum, http.MethodPost, target, body)
		if err != nil {
			return sum, err
		}
		switch {
		case code == http.StatusOK || code == http.StatusNoContent:
			sum.Sent += len(batch)
		case code == http.StatusConflict:
			if err := c.putEach(ctx, &sum, target, batch); err != nil {
				return sum, err
			}
		default:
			return sum, fmt.Errorf("the store refused statements %d–%d: %s", start+1, start+len(batch), describe(code, msg))
		}
		sum.Batches++
	}
	return sum, nil
}

// putEach sends a batch the store refused with 409 one statement at a
// time, by id.
func (c *Client) putEach(ctx context.Context, sum *Summary, target string, batch []report.Statement) error {
	for _, st := range batch {
		body, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("encode statement %s: %w", st.ID, err)
		}
		u, _ := url.Parse(target) // checked by StatementsURL
		q := u.Query()
		q.Set("statementId", st.ID)
		u.RawQuery = q.Encode()
		code, msg, err := c.do(ctx, sum, http.MethodPut, u.String(), body)
		if err != nil {
			return err
		}
		switch code {
		case http.StatusNoContent, http.StatusOK:
			// Stored now, or held already: the store may not tell.
			sum.Sent++
		case http.StatusConflict:
			sum.Held++
		default:
			return fmt.Errorf("the store refused statement %s: %s", st.ID, describe(code, msg))
		}
	}
	return nil
}

// do makes one request, trying again on a network error, 429 or a 5xx.
// It returns the final status and the start of the body.
func (c *Client) do(ctx context.Context, sum *Summary, method, target string, body []byte) (int, string, error) {
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	wait := c.Backoff
	if wait <= 0 {
		wait = DefaultBackoff
	}
	var last string
	for try := 1; ; try++ {
		req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
		if err != nil {
			return 0, "", fmt.Errorf("learning record store: %w", err)
		}
		req.Header.Set("X-Experience-API-Version", Version)
		req.Header.Set("Content-Type", "application/json")
		if c.User != "" {
			req.SetBasicAuth(c.User, c.Password)
		}
		var after time.Duration
		resp, err := hc.Do(req)
		if err == nil {
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
				return resp.StatusCode, string(msg), nil
			}
			last = describe(resp.StatusCode, string(msg))
			after = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		} else {
			if ctx.Err() != nil {
				return 0, "", ctx.Err()
			}
			last = err.Error()
		}
		if try >= attempts {
			return 0, "", fmt.Errorf("learning record store: gave up after %d tries: %s", try, last)
		}
		d := min(max(wait, after), MaxWait)
		if err := c.sleep(ctx, d); err != nil {
			return 0, "", err
		}
		sum.Retries++
		wait *= 2
	}
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. Zero
// when absent or unreadable.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// describe is a status and what the store said about it, made safe to
// print (a store's message is text from elsewhere).
func describe(code int, msg string) string {
	s := fmt.Sprintf("%d %s", code, http.StatusText(code))
	if m := textsafe.Line(strings.TrimSpace(msg)); m != "" {
		if len([]rune(m)) > 200 {
			m = string([]rune(m)[:199]) + "…"
		}
		s += ": " + m
	}
	return s
}
