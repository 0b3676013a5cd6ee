from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Referrals sit below casework and cannot call it: casework listens instead. Both
        # imports wait for the app registry (services imports models).
        from referrals.signals import referral_made

        from .services import case_support_begin  # models are ready only now

        def support_begins(sender, referral, by, **kwargs):
            case_support_begin(person=referral.person, by=by)

        referral_made.connect(support_begins, dispatch_uid="casework.support_begins", weak=False)
