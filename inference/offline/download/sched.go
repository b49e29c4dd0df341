package download

import (
	"context"
	"sync"
)

// scheduler hands out queued jobs so that no host has more than perHost
// jobs in flight, rotating between hosts. A worker never waits on a busy
// host while another host has work: it takes a job from a ready host.
type scheduler struct {
	mu      sync.Mutex
	perHost int
	hosts   map[string]*hostQueue
	ready   []string // hosts with queued jobs and a free slot, in turn order
	queued  int
	changed chan struct{} // closed and replaced whenever a slot frees up
}

type hostQueue struct {
	jobs    []task
	active  int
	inReady bool
}

// task is a job with the host it counts against.
type task struct {
	Job
	host string
}

func newScheduler(perHost int, tasks []task) *scheduler {
	s := &scheduler{perHost: perHost, hosts: map[string]*hostQueue{}, changed: make(chan struct{})}
	for _, t := range tasks {
		q := s.hosts[t.host]
		if q == nil {
			q = &hostQueue{}
			s.hosts[t.host] = q
		}
		q.jobs = append(q.jobs, t)
		s.queued++
		s.markReady(t.host, q)
	}
	return s
}

func (s *scheduler) markReady(host string, q *hostQueue) {
	if !q.inReady && len(q.jobs) > 0 && q.active < s.perHost {
		q.inReady = true
		s.ready = append(s.ready, host)
	}
}

// take returns the next job, waiting for a free host slot. It returns false
// when the queue is empty or ctx is done.
func (s *scheduler) take(ctx context.Context) (task, bool) {
	s.mu.Lock()
	for {
		if ctx.Err() != nil || s.queued == 0 {
			s.mu.Unlock()
			return task{}, false
		}
		if len(s.ready) > 0 {
			host := s.ready[0]
			s.ready = s.ready[1:]
			q := s.hosts[host]
			q.inReady = false
			t := q.jobs[0]
			q.jobs = q.jobs[1:]
			q.active++
			s.queued--
			s.markReady(host, q)
			s.mu.Unlock()
			return t, true
		}
		wait := s.changed
		s.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
		}
		s.mu.Lock()
	}
}

// done frees the host slot taken by t.
func (s *scheduler) done(t task) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.hosts[t.host]
	q.active--
	s.markReady(t.host, q)
	close(s.changed)
	s.changed = make(chan struct{})
}

// left returns the number of jobs never handed out.
func (s *scheduler) left() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}
