-- The A/B test's two state changes in the state machine's home (docs/state-machine.md, "A/B test"), not in the services:
-- a held message released (its variant and text written, stamped and made due), and the winner recorded once.

-- Releases held messages (pending, no variant yet): each gets its variant, text and language, the queue stamp
-- (null: the retry driver queues them) and its due time (null: now). A message no longer held is left alone.
CREATE FUNCTION release_held_messages(p_ids bigint[], p_variants text[], p_texts text[], p_languages text[],
                                      p_queued_at timestamptz, p_due_at timestamptz)
RETURNS int LANGUAGE sql AS $$
    WITH released AS (
        UPDATE outbound_messages m
        SET variant = u.variant, rendered_content = u.text, language = u.language, queued_at = p_queued_at,
            next_attempt_at = coalesce(p_due_at, now()), updated_at = now()
        FROM unnest(p_ids, p_variants, p_texts, p_languages) AS u(id, variant, text, language)
        WHERE m.id = u.id AND m.status = 'pending' AND m.variant IS NULL
        RETURNING 1)
    SELECT count(*)::int FROM released
$$;

-- Records the A/B test's winner unless one is recorded already: true for the one call that decided.
CREATE FUNCTION record_ab_winner(p_campaign_id bigint, p_winner text) RETURNS boolean LANGUAGE sql AS $$
    WITH decided AS (
        UPDATE campaigns SET winner = p_winner, updated_at = now()
        WHERE id = p_campaign_id AND winner IS NULL
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM decided)
$$;
