"""The HTTP layer: everything between the socket and the routers, in one package.

A request passes, outermost first: SlowReaders (drops a client that stops reading) ->
RequestContext (id, access log, metrics) -> HeadAsGet (HEAD answered as a GET without its
body) -> CrossOrigin (CORS; preflights answered) -> RateLimit (429) -> ResponseCache (clock read
once; anonymous answers from memory) -> Compression (gzip, stored coded by the cache) ->
StoredDocuments (a company's detail and the commonest list pages from the read model) ->
BodyGuard (415/413; a body read whole before a slot is taken, 408 when it stalls) ->
Admission (no more requests inside than pooled connections; 503 after the pool timeout) ->
UnhandledErrors (an unhandled exception becomes the 500 problem inside
every layer above) -> the routers, whose every API GET runs `conditional_get` (ETag, 304).
`stack.install` builds it.
"""
