-- Exact campaign totals per (channel, status), so the list's total_count sums a handful of rows
-- instead of counting the whole table on every page.
--
-- Writers never update a shared row: triggers on campaigns append signed deltas, so a send holding
-- its campaign's status change open for seconds blocks nobody else's create, send or delete. The
-- API's compactor folds committed deltas into campaign_counts; a reader sums both tables in one
-- statement, i.e. one snapshot, which always equals count(*) of campaigns in that snapshot.
CREATE TABLE campaign_counts (
    channel text   NOT NULL,
    status  text   NOT NULL,
    n       bigint NOT NULL,
    PRIMARY KEY (channel, status)
);

CREATE TABLE campaign_count_deltas (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel text   NOT NULL,
    status  text   NOT NULL,
    delta   bigint NOT NULL
);

INSERT INTO campaign_counts (channel, status, n)
SELECT channel, status, count(*) FROM campaigns GROUP BY channel, status;

-- Inserts and deletes count per statement (transition tables), so a bulk statement adds a few rows.
CREATE FUNCTION campaign_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_count_deltas (channel, status, delta)
    SELECT channel, status, count(*) FROM inserted_campaigns GROUP BY channel, status;
    RETURN NULL;
END
$$;

CREATE FUNCTION campaign_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_count_deltas (channel, status, delta)
    SELECT channel, status, -count(*) FROM deleted_campaigns GROUP BY channel, status;
    RETURN NULL;
END
$$;

-- Updates count per row, and only when channel or status changes: the worker's counter updates on
-- the campaign row (many per second) never reach the function.
CREATE FUNCTION campaign_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_count_deltas (channel, status, delta)
    VALUES (OLD.channel, OLD.status, -1), (NEW.channel, NEW.status, 1);
    RETURN NULL;
END
$$;

CREATE FUNCTION campaign_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM campaign_count_deltas;
    DELETE FROM campaign_counts;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaigns_counted_on_insert AFTER INSERT ON campaigns
    REFERENCING NEW TABLE AS inserted_campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_counts_inserted();

CREATE TRIGGER campaigns_counted_on_delete AFTER DELETE ON campaigns
    REFERENCING OLD TABLE AS deleted_campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_counts_deleted();

CREATE TRIGGER campaigns_counted_on_update AFTER UPDATE OF channel, status ON campaigns
    FOR EACH ROW WHEN (OLD.channel IS DISTINCT FROM NEW.channel OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION campaign_counts_moved();

CREATE TRIGGER campaigns_counted_on_truncate AFTER TRUNCATE ON campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION campaign_counts_truncated();

-- Folds the deltas committed so far into campaign_counts, in one statement. Safe to run from any
-- number of API instances at once: a delta row is deleted (and so added) by exactly one of them.
CREATE FUNCTION compact_campaign_counts() RETURNS bigint LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM campaign_count_deltas RETURNING channel, status, delta
    ),
    sums AS (
        SELECT channel, status, sum(delta) AS n, count(*) AS rows FROM folded GROUP BY channel, status
    ),
    applied AS (
        INSERT INTO campaign_counts AS c (channel, status, n)
        SELECT channel, status, n FROM sums ORDER BY channel, status  -- one lock order: no deadlocks
        ON CONFLICT (channel, status) DO UPDATE SET n = c.n + excluded.n
    )
    SELECT coalesce(sum(rows), 0)::bigint FROM sums
$$;
