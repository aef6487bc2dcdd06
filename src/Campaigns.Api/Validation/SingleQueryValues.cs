using Campaigns.Api.Errors;

namespace Campaigns.Api.Validation;

/// <summary>
/// A query parameter of the API given more than once is a 400 <c>VALIDATION_ERROR</c>: each takes one value, and ASP.NET
/// would bind <c>?channel=&amp;channel=sms</c> as "sms" (it joins repeated values, skipping empty ones), answering a
/// request the caller did not write (found by the fuzz test). For the API's own groups only: a short link or a probe
/// ignores its query, whatever a mail client or a balancer appends.
/// </summary>
public static class SingleQueryValues
{
    public static TBuilder WithSingleQueryValues<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            foreach (var (name, values) in context.HttpContext.Request.Query)
            {
                if (values.Count > 1)
                {
                    return ApiProblem.Validation(name, $"{name} is given {values.Count} times; give each query parameter once");
                }
            }
            return await next(context);
        });
}
