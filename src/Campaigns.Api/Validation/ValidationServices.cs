namespace Campaigns.Api.Validation;

public static class ValidationServices
{
    /// <summary>The configurable limits the validation rules apply (<c>Templates:</c>), checked at start.</summary>
    public static IServiceCollection AddValidationLimits(this IServiceCollection services)
    {
        services.AddOptions<TemplateOptions>().BindConfiguration(TemplateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
