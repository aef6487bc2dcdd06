-- The window rules of 0015 at the size of a real campaign, found by the ten-thousand-recipient window drill
-- (tests/Campaigns.Tests/Timing/SendWindowDrillTests.cs): a send of 10,000 recipients with a window, and the
-- claims of its messages, each ran past the 30 s command timeout.
--
-- 1. The clock functions read drill_clock by its key (WHERE only_row). claim_messages runs with
--    enable_seqscan = off; there the bare `FROM drill_clock` was planned as a disabled seq scan, whose cost
--    (1e10) is far above jit_above_cost, so every call JIT-compiled its statement: 50–150 ms per call, two
--    or three calls per message claimed, a 256-job claim over 30 s. Drill clock set or not (the table is read
--    either way). By the key it is an index probe under any setting.
CREATE OR REPLACE FUNCTION window_clock_seen(p_real timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT seen_anchor + (p_real - real_anchor) * rate FROM drill_clock WHERE only_row), p_real)
$$;

CREATE OR REPLACE FUNCTION window_clock_real(p_seen timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT real_anchor + (p_seen - seen_anchor) / rate FROM drill_clock WHERE only_row), p_seen)
$$;

-- 2. The send's deferral computes one window per zone, as 0015 meant: its `zones` CTE is MATERIALIZED.
--    Referenced once and free of volatile functions, it was inlined, and send_window_at (plpgsql) then ran
--    once per message joined instead of once per zone (10,000 calls for 10,000 recipients in 5 zones).
CREATE OR REPLACE FUNCTION defer_to_send_windows(p_campaign_id bigint) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    deferred int;
BEGIN
    WITH zones AS MATERIALIZED (
        SELECT z.zone, w.opens_at
        FROM campaigns c
        CROSS JOIN LATERAL (
            SELECT DISTINCT recipient_zone(u.timezone) AS zone
            FROM outbound_messages m JOIN customers u ON u.id = m.customer_id
            WHERE m.campaign_id = c.id AND m.status = 'pending' AND m.queued_at IS NOT NULL) z
        CROSS JOIN LATERAL send_window_at(c.send_window, z.zone, now()) w
        WHERE c.id = p_campaign_id AND c.send_window IS NOT NULL AND w.opens_at > now())
    UPDATE outbound_messages m
    SET queued_at = NULL, next_attempt_at = zones.opens_at, not_before = zones.opens_at
    FROM customers u, zones
    WHERE m.campaign_id = p_campaign_id AND m.status = 'pending' AND m.queued_at IS NOT NULL
      AND u.id = m.customer_id AND recipient_zone(u.timezone) = zones.zone;
    GET DIAGNOSTICS deferred = ROW_COUNT;
    RETURN deferred;
END
$$;
