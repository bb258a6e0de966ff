"""The Pagefind search index, in shards; shared by the html writer and the search writer."""
