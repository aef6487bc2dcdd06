namespace Campaigns.ProviderSimulator.Sending;

/// <summary>A result with one more response header (<c>Retry-After</c>, <c>WWW-Authenticate</c>).</summary>
public sealed class HeaderResult(IResult inner, string name, string value) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[name] = value;
        return inner.ExecuteAsync(httpContext);
    }
}

public static class HeaderResultExtensions
{
    public static IResult WithHeader(this IResult result, string name, string value) => new HeaderResult(result, name, value);

    public static IResult WithRetryAfter(this IResult result, TimeSpan retryAfter) =>
        result.WithHeader("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
