-- The send writes each message of a closed zone waiting for its window's opening as it copies it (the API asks
-- send_window_at once per zone among the recipients, in the send's transaction), so no second pass over the
-- campaign's messages, and no join with every customer, is left to do after the copy.
DROP FUNCTION defer_to_send_windows(bigint);

-- The functions whose plans are forced (SET enable_seqscan = off) never JIT-compile: under that setting any scan
-- without an index is costed at 1e10, far above jit_above_cost, and a claim would compile its statements on every
-- call (50–150 ms each; migration 0016 found one such case). Their plans are index probes; compiling never pays.
-- A later CREATE OR REPLACE of one of them must say `SET jit = off` again (it replaces the settings).
DO $$
DECLARE
    forced regprocedure;
BEGIN
    FOR forced IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.proconfig @> ARRAY['enable_seqscan=off'] AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET jit = off', forced);
    END LOOP;
END
$$;
