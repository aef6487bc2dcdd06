using Dapper;
using Npgsql;

namespace Campaigns.Api.Idempotency;

/// <summary>Remembers the first successful response per key, inside the caller's transaction.</summary>
public static class IdempotencyStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public sealed record StoredResponse(byte[] RequestHash, int ResponseStatus, string ResponseBody);

    /// <summary>
    /// Takes the key for this transaction; false when another request holding it is still running.
    /// </summary>
    public static Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scope, string key,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_xact_lock(@lockKey)",
            new { lockKey = RequestFingerprint.LockKey(scope, key) }, transaction, cancellationToken: cancellationToken));

    public static Task<StoredResponse?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scope, string key,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition("""
            SELECT request_hash AS "RequestHash", response_status AS "ResponseStatus", response_body AS "ResponseBody" FROM idempotency_keys
            WHERE scope = @scope AND key = @key AND expires_at > now()
            """, new { scope, key }, transaction, cancellationToken: cancellationToken));

    public static Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scope, string key,
        byte[] requestHash, int responseStatus, string responseBody, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
            VALUES (@scope, @key, @requestHash, @responseStatus, @responseBody, now() + @lifetime)
            ON CONFLICT (scope, key) DO UPDATE SET
                request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
            """, new { scope, key, requestHash, responseStatus, responseBody, lifetime = Lifetime }, transaction,
            cancellationToken: cancellationToken));

    /// <summary>Deletes expired keys a bounded batch at a time; returns how many went.</summary>
    public static async Task<int> DeleteExpiredAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM idempotency_keys WHERE ctid IN (
                SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT 10000)
            """, cancellationToken: cancellationToken));
    }
}
