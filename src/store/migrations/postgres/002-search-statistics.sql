-- livearchive on PostgreSQL, schema 2: the planner's statistics of the search index sample up to
-- 3,000,000 documents and keep up to 100,000 of their most common words, against 30,000 and
-- 1,000 by default. With the default, every word outside the most common ~1,000 is reckoned to
-- match ~0.5 % of the posts however rare it is: at 100,000 posts a word in 150 of them was
-- ranked by a plan made for 500 (130 ms against 4 ms), and search could not tell a rare word,
-- best taken from the GIN index first, from one found soon by reading newest first
-- (src/store/pg/search.ts). ANALYZE now, so that an archive brought to this schema has them.
ALTER TABLE post_search ALTER COLUMN document SET STATISTICS 10000;
ANALYZE post_search;
