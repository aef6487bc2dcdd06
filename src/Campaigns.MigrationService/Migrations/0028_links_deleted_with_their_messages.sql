-- A link's reference to its message was a foreign key checked at commit (0019): one lookup per link, half a second per
-- 100,000 links of a tracked send. Links and their messages are written by one transaction (the send, or an A/B
-- test's release, which locks the messages it reads), so the check proved nothing; what it also did, deleting a
-- message's links with it, a statement trigger does now, at the rare delete instead of at every send.
ALTER TABLE links DROP CONSTRAINT links_message_id_fkey;

CREATE FUNCTION delete_links_of_deleted_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM links l USING deleted_messages d WHERE l.message_id = d.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER links_go_with_their_messages AFTER DELETE ON outbound_messages
    REFERENCING OLD TABLE AS deleted_messages
    FOR EACH STATEMENT EXECUTE FUNCTION delete_links_of_deleted_messages();

-- Codes are ASCII letters and digits compared only for equality: the "C" collation compares them as bytes, which makes
-- the primary key's inserts (random codes, all over the index) and the redirect's lookup cheaper than the locale's.
ALTER TABLE links ALTER COLUMN code TYPE text COLLATE "C";
