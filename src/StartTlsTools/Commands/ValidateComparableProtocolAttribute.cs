using System.Management.Automation;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// At binding time: the protocol must have both a STARTTLS and an implicit-TLS port in the registry, so that
    /// protocols other branches register later become comparable without touching the cmdlet.
    /// </summary>
    public sealed class ValidateComparableProtocolAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is StartTlsProtocol protocol && ImplicitVsStartTlsOptions.CheckProtocol(protocol) is string problem)
                throw new ValidationMetadataException(problem);
        }
    }
}
