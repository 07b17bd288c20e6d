-- The region's review list shows a page of 100 open items in the order they arrived (exchange_reviews: created_at,
-- then id). The index on (status, created_at) left the id to a sort, and one imported file opens all its items with
-- the same created_at (the import's time): every page sorted all of that file's open items again (thousands at the
-- region: 19,000 women registered in two provinces). With the id in the index, a page is read in the index's order.
DROP INDEX exchange_reviews_status;
CREATE INDEX exchange_reviews_status ON exchange_reviews(status, created_at, id);
