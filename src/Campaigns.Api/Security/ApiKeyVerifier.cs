using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Security;

/// <summary>
/// Checks a presented key against the configured ones by SHA-256 digest, comparing every configured
/// digest in constant time, so neither timing nor an early exit tells how close a guess was.
/// </summary>
public sealed class ApiKeyVerifier
{
    private const string HashPrefix = "sha256:";
    private readonly byte[][] _digests;

    public ApiKeyVerifier(IOptions<ApiKeyOptions> options)
    {
        _digests = options.Value.ApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => k.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase)
                ? Convert.FromHexString(k[HashPrefix.Length..])
                : Digest(k))
            .ToArray();
    }

    /// <returns>A stable, non-secret name for the caller (for rate limits and idempotency scopes), or null.</returns>
    public string? Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return null;
        }
        var digest = Digest(presented);
        var match = false;
        foreach (var candidate in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(candidate, digest);
        }
        return match ? CallerName(digest) : null;
    }

    /// <summary>The caller's name for a key: a short digest prefix, safe to log and to use as a partition.</summary>
    public static string CallerName(byte[] digest) => "key-" + Convert.ToHexStringLower(digest.AsSpan(0, 6));

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
