"""Live news: ``tickerwire watch`` (folders and feeds) and alerts (rules, engine, deliveries).

- ``rules`` — alert rules and delivery channels as validated data (YAML file or API JSON);
- ``conditions`` — what each rule kind looks for in a new article;
- ``alerting`` — the engine: new revisions × rules → recorded alerts (restart-safe cursor);
- ``deliveries`` — console, JSON Lines and signed webhooks with retries, from the store's outbox;
- ``feeds`` — ``feeds.yaml`` and conditional HTTP polling with per-feed intervals and backoff;
- ``watch`` — the ``Watcher`` that runs it all until stopped.

See ``docs/live.md``.
"""
