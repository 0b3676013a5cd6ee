"""Signals for the apps above referrals (casework), which referrals must not import."""

from django.dispatch import Signal

# Sent inside referral_create's transaction, once the referral is saved: referral, by.
referral_made = Signal()
