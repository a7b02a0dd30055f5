#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>

namespace matching {

/// The 168 hours of a week (hour 0 = Monday 00:00–01:00, UTC), one bit each:
/// a volunteer's availability or a mission's schedule. Hour granularity is
/// what "free on Tuesday evenings" needs, and 3 words make overlap a popcount.
struct WeekMask {
  static constexpr int kHours = 168;
  std::array<std::uint64_t, 3> bits{};

  /// Marks hour `hour` (0..167; taken modulo 168, so a slot may wrap past Sunday).
  void set(int hour) {
    hour = ((hour % kHours) + kHours) % kHours;
    bits[static_cast<std::size_t>(hour / 64)] |= std::uint64_t{1} << (hour % 64);
  }
  /// Whether hour `hour` (0..167) is marked.
  bool test(int hour) const { return ((bits[static_cast<std::size_t>(hour / 64)] >> (hour % 64)) & 1U) != 0; }
  /// How many hours are marked.
  int count() const { return std::popcount(bits[0]) + std::popcount(bits[1]) + std::popcount(bits[2]); }
  /// Whether no hour is marked.
  bool empty() const { return (bits[0] | bits[1] | bits[2]) == 0; }
  /// Hours marked in both.
  int overlap(const WeekMask& other) const {
    return std::popcount(bits[0] & other.bits[0]) + std::popcount(bits[1] & other.bits[1]) +
           std::popcount(bits[2] & other.bits[2]);
  }
  /// The hours marked in both.
  WeekMask operator&(const WeekMask& other) const {
    return WeekMask{{bits[0] & other.bits[0], bits[1] & other.bits[1], bits[2] & other.bits[2]}};
  }
  /// Marks every hour marked in `other` too.
  WeekMask& operator|=(const WeekMask& other) {
    for (std::size_t i = 0; i < bits.size(); ++i) {
      bits[i] |= other.bits[i];
    }
    return *this;
  }
  bool operator==(const WeekMask&) const = default;

  /// The mask of one local weekly slot as the kernel stores it
  /// (availability_slots: weekday 0 = Monday..6 = Sunday, minutes since local
  /// midnight, end exclusive, 1..1440), converted to UTC with a fixed offset
  /// (`utcOffsetMinutes`, e.g. +60 for Paris in winter, +120 in summer). Every
  /// hour the slot touches is marked (18:30–20:00 marks 18h and 19h).
  /// A fixed offset, not a tz name: GCC 12's libstdc++ has no std::chrono tz
  /// database, so the caller picks the offset in force (see utcOffsetMinutesFor).
  static WeekMask fromLocalSlot(int weekday, int startMinute, int endMinute, int utcOffsetMinutes);

  /// The mask of every hour of the week.
  static WeekMask all();
};

/// The UTC offset, in minutes, of a time zone Ruche's federation uses, at
/// `epochSeconds`: "Europe/Paris" (and the other zones of metropolitan France,
/// Belgium, Switzerland, Luxembourg: CET/CEST with the EU rule, last Sunday of
/// March and October at 01:00 UTC), "UTC"/"" (0), a fixed "+HH:MM"/"-HH:MM", or
/// a few overseas zones with no daylight saving time (Martinique, Guadeloupe,
/// Guyane, Réunion, Mayotte, Nouvelle-Calédonie, Polynésie). Unknown names: 0.
int utcOffsetMinutesFor(const std::string& timeZone, long long epochSeconds);

/// A short code of the weekday and part of day holding most hours of `mask`
/// once shifted to local time by `utcOffsetMinutes`: "<weekday>-<part>", with
/// weekday 0..6 (0 = Monday) and part one of night (0–6 h), morning (6–12 h),
/// afternoon (12–18 h), evening (18–24 h), e.g. "1-evening" for Tuesday
/// evening. Empty for an empty mask. Pages translate it.
std::string dominantSlotCode(const WeekMask& mask, int utcOffsetMinutes);

}  // namespace matching
