using System.Globalization;
using Campaigns.Worker.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.RateLimiting;

/// <summary>
/// The per-channel send limit shared by all replicas: a token bucket kept in Redis and updated by one
/// Lua script, so a batch asks for all its permits in one round trip and learns how many it got and,
/// if not all, how long until the next one. Redis's own clock (<c>TIME</c>) is the only clock, so
/// replicas on different machines agree.
/// </summary>
public sealed class ChannelRateLimiter(IConnectionMultiplexer redis, IOptions<ChannelsOptions> options)
{
    public const string KeyPrefix = "campaigns:rate:";

    // KEYS[1] bucket; ARGV: rate per second, capacity, permits wanted.
    // Returns { granted, milliseconds until the next permit (0 when all were granted) }.
    private const string Script = """
        local rate = tonumber(ARGV[1])
        local capacity = tonumber(ARGV[2])
        local wanted = tonumber(ARGV[3])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = capacity
          at = now
        end
        if now > at then
          tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
          at = now
        end
        local granted = math.min(wanted, math.floor(tokens))
        if granted < 0 then granted = 0 end
        tokens = tokens - granted
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', at))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 60000)
        local wait = 0
        if granted < wanted then
          wait = math.ceil((1 - tokens) * 1000 / rate)
          if wait < 1 then wait = 1 end
        end
        return { granted, wait }
        """;

    private readonly ChannelsOptions _options = options.Value;

    public readonly record struct Grant(int Granted, TimeSpan RetryAfter);

    public bool IsLimited(string channel) => _options.For(channel).IsLimited;

    /// <summary>Takes up to <paramref name="wanted"/> permits for <paramref name="channel"/>, in one round trip.</summary>
    public async Task<Grant> AcquireAsync(string channel, int wanted, CancellationToken cancellationToken)
    {
        var limit = _options.For(channel);
        if (!limit.IsLimited || wanted <= 0)
        {
            return new Grant(Math.Max(0, wanted), TimeSpan.Zero);
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [KeyPrefix + channel],
            [limit.MessagesPerSecond.ToString("R", CultureInfo.InvariantCulture), limit.Capacity, wanted])
            .WaitAsync(cancellationToken))!;
        return new Grant((int)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }
}
