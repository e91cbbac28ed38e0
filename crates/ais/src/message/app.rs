//! Application-specific messages carried in types 6 and 8 (IMO SN.1/Circ.289
//! and the older SN/Circ.236), chosen by DAC and FID.

use crate::bits::{AisStr, Bits, Reader};
use crate::encode::BitWriter;

/// A decoded application message, or [`Application::Unknown`] when the
/// DAC/FID is not one this crate decodes (the raw bits stay on the message).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Application<'a> {
    /// DAC 1, FID 31 (type 8): meteorological and hydrographic data.
    MetHydro(MetHydro),
    /// DAC 1, FID 11 (type 8): the older meteorological and hydrographic
    /// message of SN/Circ.236.
    MetHydroOld(MetHydroOld),
    /// DAC 1, FID 22 (type 8, broadcast) or FID 23 (type 6, addressed):
    /// area notice.
    AreaNotice(AreaNotice<'a>),
    /// Not decoded here, or too short for its layout.
    Unknown,
}

impl<'a> Application<'a> {
    /// Decodes `data` (the bits after DAC and FID) of a type `msg_type`
    /// message.
    pub fn parse(msg_type: u8, dac: u16, fid: u8, data: Bits<'a>) -> Application<'a> {
        match (msg_type, dac, fid) {
            (8, 1, 31) if data.len() >= MetHydro::BITS => {
                Application::MetHydro(MetHydro::read(&mut Reader::new(data)))
            }
            (8, 1, 11) if data.len() >= MetHydroOld::BITS => {
                Application::MetHydroOld(MetHydroOld::read(&mut Reader::new(data)))
            }
            (8, 1, 22) | (6, 1, 23) if data.len() >= AreaNotice::HEADER_BITS => {
                Application::AreaNotice(AreaNotice::read(data))
            }
            _ => Application::Unknown,
        }
    }
}

/// DAC 1 FID 31: meteorological and hydrographic data (IMO SN.1/Circ.289).
/// Fields are raw; see each for its unit and "not available" code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetHydro {
    /// Longitude, 1/1,000 minute (181° = not available).
    pub lon: i32,
    /// Latitude, 1/1,000 minute (91° = not available).
    pub lat: i32,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// UTC day (0: not available).
    pub day: u8,
    /// UTC hour (24: not available).
    pub hour: u8,
    /// UTC minute (60: not available).
    pub minute: u8,
    /// Average wind speed, knots (127: not available).
    pub wspeed: u8,
    /// Wind gust, knots (127: not available).
    pub wgust: u8,
    /// Wind direction, degrees (360: not available).
    pub wdir: u16,
    /// Wind gust direction, degrees (360: not available).
    pub wgustdir: u16,
    /// Air temperature, 1/10 °C, signed (-1024: not available).
    pub airtemp: i16,
    /// Relative humidity, % (101: not available).
    pub humidity: u8,
    /// Dew point, 1/10 °C, signed (501: not available).
    pub dewpoint: i16,
    /// Air pressure, hPa − 799 (511: not available).
    pub pressure: u16,
    /// Pressure tendency, 0–2 (3: not available).
    pub pressuretend: u8,
    /// Visibility is greater than the value.
    pub visgreater: bool,
    /// Horizontal visibility, 1/10 nautical mile (127: not available).
    pub visibility: u8,
    /// Water level, 1/100 m + 10 m (4001: not available).
    pub waterlevel: u16,
    /// Water level trend, 0–2 (3: not available).
    pub leveltrend: u8,
    /// Surface current speed, 1/10 knot (255: not available).
    pub cspeed: u8,
    /// Surface current direction, degrees (360: not available).
    pub cdir: u16,
    /// Current 2 speed, 1/10 knot.
    pub cspeed2: u8,
    /// Current 2 direction, degrees.
    pub cdir2: u16,
    /// Current 2 measuring depth, metres (31: not available).
    pub cdepth2: u8,
    /// Current 3 speed, 1/10 knot.
    pub cspeed3: u8,
    /// Current 3 direction, degrees.
    pub cdir3: u16,
    /// Current 3 measuring depth, metres.
    pub cdepth3: u8,
    /// Significant wave height, 1/10 m (255: not available).
    pub waveheight: u8,
    /// Wave period, seconds (63: not available).
    pub waveperiod: u8,
    /// Wave direction, degrees (360: not available).
    pub wavedir: u16,
    /// Swell height, 1/10 m.
    pub swellheight: u8,
    /// Swell period, seconds.
    pub swellperiod: u8,
    /// Swell direction, degrees.
    pub swelldir: u16,
    /// Sea state, Beaufort scale (13: not available).
    pub seastate: u8,
    /// Water temperature, 1/10 °C, signed (501: not available).
    pub watertemp: i16,
    /// Precipitation type, 0–7 (7: not available).
    pub preciptype: u8,
    /// Salinity, 1/10 ‰ (510: not available).
    pub salinity: u16,
    /// Ice, 0–3 (3: not available).
    pub ice: u8,
    /// Spare bits.
    pub spare: u16,
}

impl MetHydro {
    /// Length of the data after DAC and FID, bits.
    pub const BITS: usize = 304;

    fn read(r: &mut Reader<'_>) -> MetHydro {
        MetHydro {
            lon: r.i32(25),
            lat: r.i32(24),
            accuracy: r.b(),
            day: r.u8(5),
            hour: r.u8(5),
            minute: r.u8(6),
            wspeed: r.u8(7),
            wgust: r.u8(7),
            wdir: r.u16(9),
            wgustdir: r.u16(9),
            airtemp: r.i32(11) as i16,
            humidity: r.u8(7),
            dewpoint: r.i32(10) as i16,
            pressure: r.u16(9),
            pressuretend: r.u8(2),
            visgreater: r.b(),
            visibility: r.u8(7),
            waterlevel: r.u16(12),
            leveltrend: r.u8(2),
            cspeed: r.u8(8),
            cdir: r.u16(9),
            cspeed2: r.u8(8),
            cdir2: r.u16(9),
            cdepth2: r.u8(5),
            cspeed3: r.u8(8),
            cdir3: r.u16(9),
            cdepth3: r.u8(5),
            waveheight: r.u8(8),
            waveperiod: r.u8(6),
            wavedir: r.u16(9),
            swellheight: r.u8(8),
            swellperiod: r.u8(6),
            swelldir: r.u16(9),
            seastate: r.u8(4),
            watertemp: r.i32(10) as i16,
            preciptype: r.u8(3),
            salinity: r.u16(9),
            ice: r.u8(2),
            spare: r.u16(10),
        }
    }

    /// Writes the data bits (after DAC and FID).
    pub fn write(&self, w: &mut BitWriter) {
        w.put_i(25, i64::from(self.lon));
        w.put_i(24, i64::from(self.lat));
        w.put_u(1, u64::from(self.accuracy));
        w.put_u(5, u64::from(self.day));
        w.put_u(5, u64::from(self.hour));
        w.put_u(6, u64::from(self.minute));
        w.put_u(7, u64::from(self.wspeed));
        w.put_u(7, u64::from(self.wgust));
        w.put_u(9, u64::from(self.wdir));
        w.put_u(9, u64::from(self.wgustdir));
        w.put_i(11, i64::from(self.airtemp));
        w.put_u(7, u64::from(self.humidity));
        w.put_i(10, i64::from(self.dewpoint));
        w.put_u(9, u64::from(self.pressure));
        w.put_u(2, u64::from(self.pressuretend));
        w.put_u(1, u64::from(self.visgreater));
        w.put_u(7, u64::from(self.visibility));
        w.put_u(12, u64::from(self.waterlevel));
        w.put_u(2, u64::from(self.leveltrend));
        w.put_u(8, u64::from(self.cspeed));
        w.put_u(9, u64::from(self.cdir));
        w.put_u(8, u64::from(self.cspeed2));
        w.put_u(9, u64::from(self.cdir2));
        w.put_u(5, u64::from(self.cdepth2));
        w.put_u(8, u64::from(self.cspeed3));
        w.put_u(9, u64::from(self.cdir3));
        w.put_u(5, u64::from(self.cdepth3));
        w.put_u(8, u64::from(self.waveheight));
        w.put_u(6, u64::from(self.waveperiod));
        w.put_u(9, u64::from(self.wavedir));
        w.put_u(8, u64::from(self.swellheight));
        w.put_u(6, u64::from(self.swellperiod));
        w.put_u(9, u64::from(self.swelldir));
        w.put_u(4, u64::from(self.seastate));
        w.put_i(10, i64::from(self.watertemp));
        w.put_u(3, u64::from(self.preciptype));
        w.put_u(9, u64::from(self.salinity));
        w.put_u(2, u64::from(self.ice));
        w.put_u(10, u64::from(self.spare));
    }
}

/// DAC 1 FID 11: meteorological and hydrographic data (IMO SN/Circ.236,
/// superseded by FID 31). Fields are raw; offsets are noted per field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetHydroOld {
    /// Latitude, 1/1,000 minute (note: latitude comes first here).
    pub lat: i32,
    /// Longitude, 1/1,000 minute.
    pub lon: i32,
    /// UTC day.
    pub day: u8,
    /// UTC hour.
    pub hour: u8,
    /// UTC minute.
    pub minute: u8,
    /// Average wind speed, knots.
    pub wspeed: u8,
    /// Wind gust, knots.
    pub wgust: u8,
    /// Wind direction, degrees.
    pub wdir: u16,
    /// Wind gust direction, degrees.
    pub wgustdir: u16,
    /// Air temperature, 1/10 °C + 60 °C.
    pub airtemp: u16,
    /// Relative humidity, %.
    pub humidity: u8,
    /// Dew point, 1/10 °C + 20 °C.
    pub dewpoint: u16,
    /// Air pressure, hPa − 800.
    pub pressure: u16,
    /// Pressure tendency.
    pub pressuretend: u8,
    /// Horizontal visibility, 1/10 nautical mile.
    pub visibility: u8,
    /// Water level, 1/10 m + 10 m.
    pub waterlevel: u16,
    /// Water level trend.
    pub leveltrend: u8,
    /// Surface current speed, 1/10 knot.
    pub cspeed: u8,
    /// Surface current direction, degrees.
    pub cdir: u16,
    /// Current 2 speed, 1/10 knot.
    pub cspeed2: u8,
    /// Current 2 direction, degrees.
    pub cdir2: u16,
    /// Current 2 depth, 1/10 m.
    pub cdepth2: u8,
    /// Current 3 speed, 1/10 knot.
    pub cspeed3: u8,
    /// Current 3 direction, degrees.
    pub cdir3: u16,
    /// Current 3 depth, 1/10 m.
    pub cdepth3: u8,
    /// Significant wave height, 1/10 m.
    pub waveheight: u8,
    /// Wave period, seconds.
    pub waveperiod: u8,
    /// Wave direction, degrees.
    pub wavedir: u16,
    /// Swell height, 1/10 m.
    pub swellheight: u8,
    /// Swell period, seconds.
    pub swellperiod: u8,
    /// Swell direction, degrees.
    pub swelldir: u16,
    /// Sea state, Beaufort scale.
    pub seastate: u8,
    /// Water temperature, 1/10 °C + 10 °C.
    pub watertemp: u16,
    /// Precipitation type.
    pub preciptype: u8,
    /// Salinity, 1/10 ‰.
    pub salinity: u16,
    /// Ice.
    pub ice: u8,
    /// Spare bits.
    pub spare: u8,
}

impl MetHydroOld {
    /// Length of the data after DAC and FID, bits.
    pub const BITS: usize = 296;

    fn read(r: &mut Reader<'_>) -> MetHydroOld {
        MetHydroOld {
            lat: r.i32(24),
            lon: r.i32(25),
            day: r.u8(5),
            hour: r.u8(5),
            minute: r.u8(6),
            wspeed: r.u8(7),
            wgust: r.u8(7),
            wdir: r.u16(9),
            wgustdir: r.u16(9),
            airtemp: r.u16(11),
            humidity: r.u8(7),
            dewpoint: r.u16(10),
            pressure: r.u16(9),
            pressuretend: r.u8(2),
            visibility: r.u8(8),
            waterlevel: r.u16(9),
            leveltrend: r.u8(2),
            cspeed: r.u8(8),
            cdir: r.u16(9),
            cspeed2: r.u8(8),
            cdir2: r.u16(9),
            cdepth2: r.u8(5),
            cspeed3: r.u8(8),
            cdir3: r.u16(9),
            cdepth3: r.u8(5),
            waveheight: r.u8(8),
            waveperiod: r.u8(6),
            wavedir: r.u16(9),
            swellheight: r.u8(8),
            swellperiod: r.u8(6),
            swelldir: r.u16(9),
            seastate: r.u8(4),
            watertemp: r.u16(10),
            preciptype: r.u8(3),
            salinity: r.u16(9),
            ice: r.u8(2),
            spare: r.u8(6),
        }
    }

    /// Writes the data bits (after DAC and FID).
    pub fn write(&self, w: &mut BitWriter) {
        w.put_i(24, i64::from(self.lat));
        w.put_i(25, i64::from(self.lon));
        for (n, v) in [
            (5, u64::from(self.day)),
            (5, u64::from(self.hour)),
            (6, u64::from(self.minute)),
            (7, u64::from(self.wspeed)),
            (7, u64::from(self.wgust)),
            (9, u64::from(self.wdir)),
            (9, u64::from(self.wgustdir)),
            (11, u64::from(self.airtemp)),
            (7, u64::from(self.humidity)),
            (10, u64::from(self.dewpoint)),
            (9, u64::from(self.pressure)),
            (2, u64::from(self.pressuretend)),
            (8, u64::from(self.visibility)),
            (9, u64::from(self.waterlevel)),
            (2, u64::from(self.leveltrend)),
            (8, u64::from(self.cspeed)),
            (9, u64::from(self.cdir)),
            (8, u64::from(self.cspeed2)),
            (9, u64::from(self.cdir2)),
            (5, u64::from(self.cdepth2)),
            (8, u64::from(self.cspeed3)),
            (9, u64::from(self.cdir3)),
            (5, u64::from(self.cdepth3)),
            (8, u64::from(self.waveheight)),
            (6, u64::from(self.waveperiod)),
            (9, u64::from(self.wavedir)),
            (8, u64::from(self.swellheight)),
            (6, u64::from(self.swellperiod)),
            (9, u64::from(self.swelldir)),
            (4, u64::from(self.seastate)),
            (10, u64::from(self.watertemp)),
            (3, u64::from(self.preciptype)),
            (9, u64::from(self.salinity)),
            (2, u64::from(self.ice)),
            (6, u64::from(self.spare)),
        ] {
            w.put_u(n, v);
        }
    }
}

/// DAC 1 FID 22/23: area notice (IMO SN.1/Circ.289 §2.4). The header is
/// decoded; the sub-areas are read lazily with [`AreaNotice::subareas`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AreaNotice<'a> {
    /// Message linkage id.
    pub linkage_id: u16,
    /// Notice description, 0–127.
    pub notice_type: u8,
    /// UTC month of the start.
    pub month: u8,
    /// UTC day.
    pub day: u8,
    /// UTC hour.
    pub hour: u8,
    /// UTC minute.
    pub minute: u8,
    /// Duration, minutes (262,143: undefined).
    pub duration: u32,
    /// The sub-area bits (87 per sub-area).
    pub subarea_bits: Bits<'a>,
}

impl<'a> AreaNotice<'a> {
    /// Bits before the first sub-area.
    pub const HEADER_BITS: usize = 55;
    /// Bits per sub-area.
    pub const SUBAREA_BITS: usize = 87;

    fn read(data: Bits<'a>) -> AreaNotice<'a> {
        let mut r = Reader::new(data);
        AreaNotice {
            linkage_id: r.u16(10),
            notice_type: r.u8(7),
            month: r.u8(4),
            day: r.u8(5),
            hour: r.u8(5),
            minute: r.u8(6),
            duration: r.u32(18),
            subarea_bits: r.rest(),
        }
    }

    /// The sub-areas, in order (a trailing partial sub-area is ignored).
    pub fn subareas(&self) -> SubAreas<'a> {
        SubAreas {
            bits: self.subarea_bits,
            next: 0,
        }
    }

    /// Writes the data bits (after DAC and FID): header, then sub-areas.
    pub fn write(&self, w: &mut BitWriter) {
        w.put_u(10, u64::from(self.linkage_id));
        w.put_u(7, u64::from(self.notice_type));
        w.put_u(4, u64::from(self.month));
        w.put_u(5, u64::from(self.day));
        w.put_u(5, u64::from(self.hour));
        w.put_u(6, u64::from(self.minute));
        w.put_u(18, u64::from(self.duration));
        w.put_bits(self.subarea_bits);
    }
}

/// Iterator over the sub-areas of an [`AreaNotice`].
#[derive(Clone, Debug)]
pub struct SubAreas<'a> {
    bits: Bits<'a>,
    next: usize,
}

impl Iterator for SubAreas<'_> {
    type Item = SubArea;

    fn next(&mut self) -> Option<SubArea> {
        let start = self.next * AreaNotice::SUBAREA_BITS;
        if start + AreaNotice::SUBAREA_BITS > self.bits.len() {
            return None;
        }
        self.next += 1;
        Some(SubArea::read(
            self.bits.slice_from(start).take(AreaNotice::SUBAREA_BITS),
        ))
    }
}

/// One sub-area of an area notice. Positions are in 1/1,000 minute,
/// distances in metres before multiplying by 10^`scale`.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubArea {
    /// Shape 0: circle (radius 0: a point).
    Circle {
        /// Scale factor exponent.
        scale: u8,
        /// Centre longitude.
        lon: i32,
        /// Centre latitude.
        lat: i32,
        /// Position precision, decimal places.
        precision: u8,
        /// Radius.
        radius: u16,
    },
    /// Shape 1: rectangle.
    Rectangle {
        /// Scale factor exponent.
        scale: u8,
        /// South-west corner longitude.
        lon: i32,
        /// South-west corner latitude.
        lat: i32,
        /// Position precision.
        precision: u8,
        /// East dimension.
        east: u8,
        /// North dimension.
        north: u8,
        /// Orientation, degrees.
        orientation: u16,
    },
    /// Shape 2: sector.
    Sector {
        /// Scale factor exponent.
        scale: u8,
        /// Centre longitude.
        lon: i32,
        /// Centre latitude.
        lat: i32,
        /// Position precision.
        precision: u8,
        /// Radius.
        radius: u16,
        /// Left boundary, degrees.
        left: u16,
        /// Right boundary, degrees.
        right: u16,
    },
    /// Shapes 3 (polyline) and 4 (polygon): up to four points given as
    /// (angle in 1/2 degree, distance) from the previous point.
    Path {
        /// `true` for a polygon, `false` for a polyline.
        closed: bool,
        /// Scale factor exponent.
        scale: u8,
        /// The points; an angle of 720 marks an unused point.
        points: [(u16, u16); 4],
    },
    /// Shape 5: associated text.
    Text(AisStr<14>),
    /// Shapes 6 and 7: reserved.
    Reserved(u8),
}

impl SubArea {
    fn read(bits: Bits<'_>) -> SubArea {
        let mut r = Reader::new(bits);
        let shape = r.u8(3);
        match shape {
            0..=2 => {
                let scale = r.u8(2);
                let lon = r.i32(25);
                let lat = r.i32(24);
                let precision = r.u8(3);
                match shape {
                    0 => SubArea::Circle {
                        scale,
                        lon,
                        lat,
                        precision,
                        radius: r.u16(12),
                    },
                    1 => SubArea::Rectangle {
                        scale,
                        lon,
                        lat,
                        precision,
                        east: r.u8(8),
                        north: r.u8(8),
                        orientation: r.u16(9),
                    },
                    _ => SubArea::Sector {
                        scale,
                        lon,
                        lat,
                        precision,
                        radius: r.u16(12),
                        left: r.u16(9),
                        right: r.u16(9),
                    },
                }
            }
            3 | 4 => {
                let scale = r.u8(2);
                let mut points = [(0, 0); 4];
                for p in &mut points {
                    *p = (r.u16(10), r.u16(10));
                }
                SubArea::Path {
                    closed: shape == 4,
                    scale,
                    points,
                }
            }
            5 => SubArea::Text(r.text(14)),
            s => SubArea::Reserved(s),
        }
    }

    /// Writes the 87 bits of this sub-area.
    pub fn write(&self, w: &mut BitWriter) {
        let start = w.len();
        match *self {
            SubArea::Circle {
                scale,
                lon,
                lat,
                precision,
                radius,
            } => {
                put_centre(w, 0, scale, lon, lat, precision);
                w.put_u(12, u64::from(radius));
            }
            SubArea::Rectangle {
                scale,
                lon,
                lat,
                precision,
                east,
                north,
                orientation,
            } => {
                put_centre(w, 1, scale, lon, lat, precision);
                w.put_u(8, u64::from(east));
                w.put_u(8, u64::from(north));
                w.put_u(9, u64::from(orientation));
            }
            SubArea::Sector {
                scale,
                lon,
                lat,
                precision,
                radius,
                left,
                right,
            } => {
                put_centre(w, 2, scale, lon, lat, precision);
                w.put_u(12, u64::from(radius));
                w.put_u(9, u64::from(left));
                w.put_u(9, u64::from(right));
            }
            SubArea::Path {
                closed,
                scale,
                points,
            } => {
                w.put_u(3, if closed { 4 } else { 3 });
                w.put_u(2, u64::from(scale));
                for (a, d) in points {
                    w.put_u(10, u64::from(a));
                    w.put_u(10, u64::from(d));
                }
            }
            SubArea::Text(t) => {
                w.put_u(3, 5);
                w.put_text(14, t.as_bytes());
            }
            SubArea::Reserved(s) => w.put_u(3, u64::from(s)),
        }
        // Spare bits up to the fixed sub-area length.
        let used = w.len() - start;
        w.put_u(
            (AreaNotice::SUBAREA_BITS - used.min(AreaNotice::SUBAREA_BITS)) as u32,
            0,
        );
    }
}

fn put_centre(w: &mut BitWriter, shape: u64, scale: u8, lon: i32, lat: i32, precision: u8) {
    w.put_u(3, shape);
    w.put_u(2, u64::from(scale));
    w.put_i(25, i64::from(lon));
    w.put_i(24, i64::from(lat));
    w.put_u(3, u64::from(precision));
}
