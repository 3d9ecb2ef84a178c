package io.medsam.stream.imaging.preprocess;

import java.math.BigDecimal;

/**
 * MedSAM's resize ({@link ResizeRule#MEDSAM}): scikit-image 0.19's {@code resize(image, (outH,
 * outW), order=3, preserve_range=True, anti_aliasing=True)} followed by numpy's {@code
 * astype(np.uint8)}, on 8-bit images. In float64:
 *
 * <ol>
 *   <li>anti-aliasing, only along an axis that shrinks: a Gaussian with sigma = (in / out - 1) / 2,
 *       kernel radius {@code int(4 sigma + 0.5)} (no filtering when the radius is 0), weights
 *       {@code exp(-x^2 / (2 sigma^2))} divided by their sum, boundary "mirror" ({@code d c b | a b
 *       c d | c b a}, the edge pixel not repeated);
 *   <li>cubic B-spline coefficients along every axis in turn (rows, columns, then channels) by the
 *       recursive causal/anticausal filter with pole {@code sqrt(3) - 2} and mirror-boundary
 *       initialisation;
 *   <li>output pixel o samples source coordinate {@code (o + 0.5) * in / out - 0.5} with the four
 *       cubic B-spline weights per axis, indices mirrored at the borders (SciPy's {@code
 *       ndimage.zoom(order=3, mode="mirror", grid_mode=True)});
 *   <li>clip to the input's [min, max] and truncate to uint8.
 * </ol>
 *
 * <p>The arithmetic follows SciPy's order, so that the truncation to uint8 decides like the
 * reference where a value lands within rounding error of an integer (a plateau, an output pixel on
 * a source pixel). MedSAM's script resizes an H x W x 3 array (grey replicated), and the channel
 * axis takes part in the spline: {@link #resizeChannels} reproduces that (a multi-channel value is
 * computed in the 2D order first and, only where it lies within 1e-8 of an integer, again over the
 * 4 x 4 x 4 neighbourhood of the 3D array), {@link #resize} is the 2D call. Per-axis taps and
 * weights are computed once per call; the evaluation allocates nothing per pixel. Not a
 * cubic-convolution ("bicubic") kernel, which differs by several grey levels.
 *
 * <p>Known limit: the Gaussian weights use {@link Math#exp}; numpy's vectorised exp (AVX512F
 * builds) can differ from it in the last bit, which matters only for a shrinking axis and an output
 * within rounding error of an integer (a plateau): there a pixel can be one grey level off.
 */
public final class SplineResize {

  /** The cubic B-spline's pole sqrt(3) - 2, correctly rounded (not {@code Math.sqrt(3) - 2}). */
  private static final double POLE = -0.267949192431122706472553658494127633;

  /** Truncation of the Gaussian kernel in sigmas (scipy's default {@code truncate=4.0}). */
  private static final double TRUNCATE = 4.0;

  /** A value this close to an integer is recomputed in the reference's 3D order. */
  private static final double AMBIGUOUS = 1e-8;

  private SplineResize() {}

  /**
   * Resizes a row-major single-channel 8-bit image {@code h x w} (values read unsigned) to {@code
   * outH x outW}, returning unsigned bytes: scikit-image on the 2D array.
   */
  public static byte[] resize(
      final byte[] src, final int h, final int w, final int outH, final int outW) {
    return resizeChannels(new byte[][] {src}, h, w, outH, outW)[0];
  }

  /**
   * Resizes an {@code h x w x C} image given as C row-major planes (values read unsigned; grey as
   * the same array three times, which is filtered once) as scikit-image resizes the H x W x C array
   * (C &gt; 1; C = 1 is the 2D call). Returns C planes {@code outH x outW}. The clip range is the
   * [min, max] over all channels.
   */
  public static byte[][] resizeChannels(
      final byte[][] planes, final int h, final int w, final int outH, final int outW) {
    final int channels = planes.length;
    if (channels == 0 || h <= 0 || w <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException(
          "bad resize " + channels + " x " + h + "x" + w + " to " + outH + "x" + outW);
    }
    // 2D coefficients per distinct plane (grey: one)
    final double[][] coef = new double[channels][];
    int min = 255;
    int max = 0;
    for (int ch = 0; ch < channels; ch++) {
      if (planes[ch].length != h * w) {
        throw new IllegalArgumentException(
            "plane " + ch + " has " + planes[ch].length + " values, expected " + h + "x" + w);
      }
      int same = -1;
      for (int k = 0; k < ch && same < 0; k++) {
        if (planes[k] == planes[ch]) {
          same = k;
        }
      }
      if (same >= 0) {
        coef[ch] = coef[same];
        continue;
      }
      final double[] img = new double[h * w];
      for (int n = 0; n < img.length; n++) {
        final int v = planes[ch][n] & 0xff;
        img[n] = v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      prefilterAndSpline(img, h, w, outH, outW);
      coef[ch] = img;
    }

    final Taps ty = new Taps(h, outH);
    final Taps tx = new Taps(w, outW);
    final ChannelTaps tc = channels > 1 ? new ChannelTaps(channels) : null;
    final double[] line = new double[channels];
    final double channelPower = poleToThe(channels - 1);
    final double[] nbhd = new double[16 * channels];
    final byte[][] out = new byte[channels][outH * outW];
    final double[] value = new double[channels];
    for (int r = 0; r < outH; r++) {
      final int y4 = 4 * r;
      final int r0 = ty.index[y4] * w;
      final int r1 = ty.index[y4 + 1] * w;
      final int r2 = ty.index[y4 + 2] * w;
      final int r3 = ty.index[y4 + 3] * w;
      final double wy0 = ty.weight[y4];
      final double wy1 = ty.weight[y4 + 1];
      final double wy2 = ty.weight[y4 + 2];
      final double wy3 = ty.weight[y4 + 3];
      for (int c = 0; c < outW; c++) {
        final int x4 = 4 * c;
        final int i0 = tx.index[x4];
        final int i1 = tx.index[x4 + 1];
        final int i2 = tx.index[x4 + 2];
        final int i3 = tx.index[x4 + 3];
        final double w0 = tx.weight[x4];
        final double w1 = tx.weight[x4 + 1];
        final double w2 = tx.weight[x4 + 2];
        final double w3 = tx.weight[x4 + 3];
        boolean ambiguous = false;
        for (int ch = 0; ch < channels; ch++) {
          if (ch > 0 && coef[ch] == coef[ch - 1]) {
            value[ch] = value[ch - 1];
            continue;
          }
          // SciPy's order: row tap outer, column tap inner, (coefficient * wy) * wx
          final double[] p = coef[ch];
          double acc = p[r0 + i0] * wy0 * w0;
          acc += p[r0 + i1] * wy0 * w1;
          acc += p[r0 + i2] * wy0 * w2;
          acc += p[r0 + i3] * wy0 * w3;
          acc += p[r1 + i0] * wy1 * w0;
          acc += p[r1 + i1] * wy1 * w1;
          acc += p[r1 + i2] * wy1 * w2;
          acc += p[r1 + i3] * wy1 * w3;
          acc += p[r2 + i0] * wy2 * w0;
          acc += p[r2 + i1] * wy2 * w1;
          acc += p[r2 + i2] * wy2 * w2;
          acc += p[r2 + i3] * wy2 * w3;
          acc += p[r3 + i0] * wy3 * w0;
          acc += p[r3 + i1] * wy3 * w1;
          acc += p[r3 + i2] * wy3 * w2;
          acc += p[r3 + i3] * wy3 * w3;
          value[ch] = acc;
          ambiguous |= toByte(acc - AMBIGUOUS, min, max) != toByte(acc + AMBIGUOUS, min, max);
        }
        if (ambiguous && tc != null) {
          channelValues(coef, w, ty, y4, tx, x4, tc, line, channelPower, nbhd, value);
        }
        final int o = r * outW + c;
        for (int ch = 0; ch < channels; ch++) {
          out[ch][o] = (byte) toByte(value[ch], min, max);
        }
      }
    }
    return out;
  }

  /** skimage's clip to the input's range, then numpy's truncation toward zero. */
  private static int toByte(final double v, final int min, final int max) {
    return (int) (v < min ? min : v > max ? max : v);
  }

  /**
   * The 3D (H x W x C) values of one output pixel for every channel, in SciPy's order: the 4 x 4
   * spatial neighbourhood's coefficients filtered along the channel axis, then the sum over (row
   * tap, column tap, channel tap), channel fastest, of coefficient x row weight x column weight x
   * channel weight.
   */
  private static void channelValues(
      final double[][] coef,
      final int w,
      final Taps ty,
      final int y4,
      final Taps tx,
      final int x4,
      final ChannelTaps tc,
      final double[] line,
      final double channelPower,
      final double[] nbhd,
      final double[] value) {
    final int channels = coef.length;
    for (int i = 0; i < 4; i++) {
      final int row = ty.index[y4 + i] * w;
      for (int j = 0; j < 4; j++) {
        final int px = row + tx.index[x4 + j];
        for (int k = 0; k < channels; k++) {
          line[k] = coef[k][px];
        }
        splineCoefficients(line, channels, channelPower);
        System.arraycopy(line, 0, nbhd, (4 * i + j) * channels, channels);
      }
    }
    for (int ch = 0; ch < channels; ch++) {
      double acc = 0.0;
      for (int i = 0; i < 4; i++) {
        final double wy = ty.weight[y4 + i];
        for (int j = 0; j < 4; j++) {
          final double wx = tx.weight[x4 + j];
          final int base = (4 * i + j) * channels;
          for (int m = 0; m < 4; m++) {
            acc += nbhd[base + tc.index[4 * ch + m]] * wy * wx * tc.weight[4 * ch + m];
          }
        }
      }
      value[ch] = acc;
    }
  }

  /** Gaussian anti-aliasing of the shrinking axes and the B-spline coefficients, in place. */
  private static void prefilterAndSpline(
      final double[] img, final int h, final int w, final int outH, final int outW) {
    final double[] rowKernel = gaussianKernel(antiAliasingSigma(h, outH));
    if (rowKernel != null) {
      filterColumns(img, h, w, rowKernel);
    }
    final double[] colKernel = gaussianKernel(antiAliasingSigma(w, outW));
    if (colKernel != null) {
      filterRows(img, h, w, colKernel);
    }
    if (h > 1) {
      final double power = poleToThe(h - 1);
      final double[] line = new double[h];
      for (int c = 0; c < w; c++) {
        for (int r = 0; r < h; r++) {
          line[r] = img[r * w + c];
        }
        splineCoefficients(line, h, power);
        for (int r = 0; r < h; r++) {
          img[r * w + c] = line[r];
        }
      }
    }
    if (w > 1) {
      final double power = poleToThe(w - 1);
      final double[] line = new double[w];
      for (int r = 0; r < h; r++) {
        System.arraycopy(img, r * w, line, 0, w);
        splineCoefficients(line, w, power);
        System.arraycopy(line, 0, img, r * w, w);
      }
    }
  }

  /** scikit-image's anti-aliasing sigma for one axis: max(0, (in / out - 1) / 2). */
  static double antiAliasingSigma(final int in, final int out) {
    return Math.max(0.0, ((double) in / out - 1.0) / 2.0);
  }

  /**
   * The normalised Gaussian weights for offsets {@code -radius..radius}, or {@code null} when there
   * is nothing to filter (sigma 0 or radius 0, where the kernel would be the identity). The
   * exponent is {@code (-0.5 / sigma^2) * x^2}, the sum in numpy's pairwise order.
   */
  static double[] gaussianKernel(final double sigma) {
    if (!(sigma > 1e-15)) {
      return null;
    }
    final int radius = (int) (TRUNCATE * sigma + 0.5);
    if (radius == 0) {
      return null;
    }
    final double a = -0.5 / (sigma * sigma);
    final double[] k = new double[2 * radius + 1];
    for (int n = 0; n < k.length; n++) {
      final long x = n - radius;
      k[n] = Math.exp(a * (double) (x * x));
    }
    final double sum = pairwiseSum(k, 0, k.length);
    for (int n = 0; n < k.length; n++) {
      k[n] /= sum;
    }
    return k;
  }

  /**
   * Sum in numpy's pairwise order (blocks of up to 128 summed with eight interleaved partial sums),
   * so that the normalised weights are those of the reference to the last bit.
   */
  static double pairwiseSum(final double[] a, final int from, final int n) {
    if (n < 8) {
      double s = 0.0;
      for (int i = 0; i < n; i++) {
        s += a[from + i];
      }
      return s;
    }
    if (n <= 128) {
      final double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - n % 8; i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double s = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
      for (; i < n; i++) {
        s += a[from + i];
      }
      return s;
    }
    int half = n / 2;
    half -= half % 8;
    return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
  }

  /** Mirror index (period 2 (n - 1), edge not repeated); 0 for a single sample. */
  static int mirror(final int i, final int n) {
    if (n == 1) {
      return 0;
    }
    final int period = 2 * (n - 1);
    final int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  /**
   * Correlates one line with a symmetric kernel of odd length, in place, the line extended by
   * mirroring: centre tap first, then the pairs from the outermost in.
   */
  private static void correlate(final double[] line, final double[] ext, final double[] kernel) {
    final int n = line.length;
    final int radius = kernel.length / 2;
    for (int i = 0; i < ext.length; i++) {
      ext[i] = line[mirror(i - radius, n)];
    }
    for (int i = 0; i < n; i++) {
      final int centre = i + radius;
      double acc = ext[centre] * kernel[radius];
      for (int k = radius; k > 0; k--) {
        acc += (ext[centre - k] + ext[centre + k]) * kernel[radius - k];
      }
      line[i] = acc;
    }
  }

  private static void filterColumns(
      final double[] img, final int h, final int w, final double[] kernel) {
    final double[] line = new double[h];
    final double[] ext = new double[h + kernel.length - 1];
    for (int c = 0; c < w; c++) {
      for (int r = 0; r < h; r++) {
        line[r] = img[r * w + c];
      }
      correlate(line, ext, kernel);
      for (int r = 0; r < h; r++) {
        img[r * w + c] = line[r];
      }
    }
  }

  private static void filterRows(
      final double[] img, final int h, final int w, final double[] kernel) {
    final double[] line = new double[w];
    final double[] ext = new double[w + kernel.length - 1];
    for (int r = 0; r < h; r++) {
      System.arraycopy(img, r * w, line, 0, w);
      correlate(line, ext, kernel);
      System.arraycopy(line, 0, img, r * w, w);
    }
  }

  /**
   * Cubic B-spline coefficients of the first {@code n} values of {@code c} in place, for the
   * mirror-symmetric extension of the signal (Unser's recursive filter): gain (1 - z)(1 - 1/z),
   * causal pass c+[k] = c[k] + z c+[k - 1] started from the sum over one mirror period, anticausal
   * pass c-[k] = z (c-[k + 1] - c+[k]) started from z / (z^2 - 1) (c+[n - 1] + z c+[n - 2]). A
   * single value is left as it is.
   *
   * @param zLast the pole to the power n - 1 ({@link #poleToThe}), computed once per line length
   */
  static void splineCoefficients(final double[] c, final int n, final double zLast) {
    if (n < 2) {
      return;
    }
    final double z = POLE;
    final double gain = (1.0 - z) * (1.0 - 1.0 / z);
    for (int i = 0; i < n; i++) {
      c[i] *= gain;
    }
    double first = c[0] + zLast * c[n - 1];
    double zk = z;
    for (int k = 1; k < n - 1; k++) {
      first += zk * (c[k] + zLast * c[n - 1 - k]);
      zk *= z;
    }
    c[0] = first / (1.0 - zLast * zLast);
    for (int i = 1; i < n; i++) {
      c[i] += z * c[i - 1];
    }
    c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1.0);
    for (int i = n - 2; i >= 0; i--) {
      c[i] = z * (c[i + 1] - c[i]);
    }
  }

  /**
   * The pole to an integer power, correctly rounded (as C's {@code pow} gives it); beyond 64 the
   * power is below 1e-36 and only ever added to values it cannot change, so {@link Math#pow} does.
   */
  static double poleToThe(final int k) {
    return k <= 64 ? new BigDecimal(POLE).pow(k).doubleValue() : Math.pow(POLE, k);
  }

  /** The cubic B-spline weights at fractional offset t in [0, 1), SciPy's formulation. */
  private static void weights(final double t, final double[] w, final int at) {
    final double u = 1.0 - t;
    w[at] = u * u * u / 6.0;
    w[at + 1] = (t * t * (t - 2.0) * 3.0 + 4.0) / 6.0;
    w[at + 2] = (u * u * (u - 2.0) * 3.0 + 4.0) / 6.0;
    w[at + 3] = 1.0 - w[at] - w[at + 1] - w[at + 2];
  }

  /** The four source indices and cubic B-spline weights of every output position on one axis. */
  static final class Taps {
    final int[] index;
    final double[] weight;

    Taps(final int in, final int out) {
      index = new int[4 * out];
      weight = new double[4 * out];
      final double zoom = (double) in / out;
      for (int o = 0; o < out; o++) {
        double x = (o + 0.5) * zoom - 0.5;
        if (in == 1) {
          x = 0.0;
        } else if (x < 0) {
          x = -x; // mirrored about 0 (x > -0.5 here); above n - 1 the taps are mirrored instead
        }
        final double fl = Math.floor(x);
        weights(x - fl, weight, 4 * o);
        final int start = (int) fl - 1;
        for (int k = 0; k < 4; k++) {
          index[4 * o + k] = mirror(start + k, in);
        }
      }
    }
  }

  /** The channel axis: output channel k samples coordinate k exactly (zoom 1). */
  static final class ChannelTaps {
    final int[] index;
    final double[] weight;

    ChannelTaps(final int channels) {
      index = new int[4 * channels];
      weight = new double[4 * channels];
      for (int k = 0; k < channels; k++) {
        weights(0.0, weight, 4 * k);
        for (int m = 0; m < 4; m++) {
          index[4 * k + m] = mirror(k - 1 + m, channels);
        }
      }
    }
  }
}
