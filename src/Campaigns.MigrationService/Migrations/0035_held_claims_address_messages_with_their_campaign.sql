-- Held claims address their messages with the campaign too (issue #17; 0031; docs/scale.md, "Partitioned messages").
-- The worker renews the leases of the claims it holds and confirms each claimed-ahead batch before it goes (the hot
-- path with Worker:ClaimAhead); by id alone each message cost a probe of all 16 partitions, three times in a confirm
-- (the campaigns' share lock, the halted campaigns' join, the renewal). The claim returned every message's campaign,
-- so the worker passes it back, and each message is found in its one partition; a caller that gives null gets it
-- looked up (message_campaigns). One lookup per message by design: nested loop only, as for the claim.

DROP FUNCTION confirm_claims(bigint[], int[], interval);
DROP FUNCTION renew_leases(bigint[], int[], interval);

-- 0006's renewal, matching on (id, campaign_id).
CREATE FUNCTION renew_leases(p_ids bigint[], p_retry_counts int[], p_lease interval, p_campaign_ids bigint[] DEFAULT NULL)
RETURNS TABLE (id bigint)
LANGUAGE plpgsql SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    UPDATE outbound_messages m SET next_attempt_at = now() + p_lease
    FROM unnest(p_ids, message_campaigns(p_ids, p_campaign_ids), p_retry_counts) AS t(id, campaign_id, retry_count)
    WHERE m.id = t.id AND m.campaign_id = t.campaign_id
      AND CASE WHEN m.status = 'sending' THEN true ELSE false END AND m.retry_count = t.retry_count
    RETURNING m.id;
END
$$;

-- 0011's confirmation: a message whose campaign is no longer sending is handed back (no attempt charged), the others'
-- leases renewed. The campaign's status is read from the campaign the batch names, not through the message.
CREATE FUNCTION confirm_claims(p_ids bigint[], p_retry_counts int[], p_lease interval, p_campaign_ids bigint[] DEFAULT NULL)
RETURNS TABLE (id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
#variable_conflict use_column
DECLARE
    campaign_ids bigint[] := message_campaigns(p_ids, p_campaign_ids);
    halted_ids bigint[];
    halted_counts int[];
    halted_campaigns bigint[];
BEGIN
    PERFORM share_campaigns(campaign_ids);
    SELECT array_agg(t.id), array_agg(t.retry_count), array_agg(t.campaign_id) INTO halted_ids, halted_counts, halted_campaigns
    FROM unnest(p_ids, campaign_ids, p_retry_counts) AS t(id, campaign_id, retry_count)
    JOIN campaigns c ON c.id = t.campaign_id
    WHERE c.status <> 'sending';
    IF halted_ids IS NOT NULL THEN
        RETURN QUERY
        SELECT r.id, r.status
        FROM record_attempt_outcomes(halted_ids, halted_counts, array_fill('pending'::text, ARRAY[cardinality(halted_ids)]),
                                     halted_counts, array_fill(NULL::text, ARRAY[cardinality(halted_ids)]),
                                     array_fill(interval '0', ARRAY[cardinality(halted_ids)]), false,
                                     p_campaign_ids => halted_campaigns) r;
    END IF;
    RETURN QUERY SELECT r.id, 'sending'::text FROM renew_leases(p_ids, p_retry_counts, p_lease, campaign_ids) r;
END
$$;
