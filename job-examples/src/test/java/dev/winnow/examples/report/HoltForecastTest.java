package dev.winnow.examples.report;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HoltForecastTest {
    @Test
    void handComputedSteps() {
        // α = β = 0.5 on 2, 4, 3: l0 = 2, b0 = 2; ŷ1 = 4, l1 = 4, b1 = 2; ŷ2 = 6, l2 = 0.5·3 + 0.5·6 = 4.5,
        // b2 = 0.5·0.5 + 0.5·2 = 1.25; forecasts 5.75, 7.0
        double[] p = new double[3];
        HoltForecast.Fit f = HoltForecast.run(new double[] {2, 4, 3}, 0.5, 0.5, p);
        assertEquals(4.0, p[1], 1e-12);
        assertEquals(6.0, p[2], 1e-12);
        assertEquals(4.5, f.level(), 1e-12);
        assertEquals(1.25, f.trend(), 1e-12);
        assertEquals(5.75, f.forecast(1), 1e-12);
        assertEquals(7.0, f.forecast(2), 1e-12);
        assertEquals(0.0, new HoltForecast.Fit(0.5, 0.5, 1, -2).forecast(1), "no fewer than nobody");
    }

    @Test
    void aLinearRiseIsForecastExactlyWhereLastValueLagsByOneStep() {
        double[] y = {1, 2, 3, 4, 5, 6, 7, 8};
        HoltForecast.Evaluation e = HoltForecast.holdOut(y, 2);
        assertEquals(2, e.heldOut());
        assertEquals(0.0, e.holtMae(), 1e-9);
        assertEquals(1.0, e.naiveMae(), 1e-12);
    }

    @Test
    void aFlatSeriesIsForecastFlatAndTooShortASeriesIsRefused() {
        HoltForecast.Fit f = HoltForecast.fit(new double[] {3, 3, 3, 3});
        assertEquals(3.0, f.forecast(5), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> HoltForecast.holdOut(new double[] {1, 2, 3}, 1));
        assertTrue(e.getMessage().contains("need 3 windows to fit"), e.getMessage());
    }
}
