//! The little dense linear algebra the regression needs: Cholesky factorization, solves
//! and inverses of small symmetric positive-definite matrices (a few dozen columns).

/// A square matrix stored row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub n: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(n: usize) -> Matrix {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    pub fn add(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] += v;
    }

    /// The lower-triangular Cholesky factor L with L Lᵀ = self, or `None` when the
    /// matrix is not positive definite.
    pub fn cholesky(&self) -> Option<Matrix> {
        let n = self.n;
        let mut l = Matrix::zeros(n);
        for i in 0..n {
            for j in 0..=i {
                let mut sum = self.get(i, j);
                for k in 0..j {
                    sum -= l.get(i, k) * l.get(j, k);
                }
                if i == j {
                    if sum <= 0.0 || !sum.is_finite() {
                        return None;
                    }
                    l.data[i * n + i] = sum.sqrt();
                } else {
                    l.data[i * n + j] = sum / l.get(j, j);
                }
            }
        }
        Some(l)
    }

    /// Solves L Lᵀ x = b given the factor L.
    pub fn cholesky_solve(l: &Matrix, b: &[f64]) -> Vec<f64> {
        let n = l.n;
        let mut y = b.to_vec();
        for i in 0..n {
            for k in 0..i {
                y[i] -= l.get(i, k) * y[k];
            }
            y[i] /= l.get(i, i);
        }
        for i in (0..n).rev() {
            for k in i + 1..n {
                y[i] -= l.get(k, i) * y[k];
            }
            y[i] /= l.get(i, i);
        }
        y
    }

    /// The inverse, from the Cholesky factor.
    pub fn cholesky_inverse(l: &Matrix) -> Matrix {
        let n = l.n;
        let mut inverse = Matrix::zeros(n);
        let mut unit = vec![0.0; n];
        for j in 0..n {
            unit.iter_mut().for_each(|u| *u = 0.0);
            unit[j] = 1.0;
            let column = Matrix::cholesky_solve(l, &unit);
            for (i, value) in column.into_iter().enumerate() {
                inverse.data[i * n + j] = value;
            }
        }
        inverse
    }

    pub fn mul(&self, other: &Matrix) -> Matrix {
        let n = self.n;
        let mut out = Matrix::zeros(n);
        for i in 0..n {
            for k in 0..n {
                let a = self.get(i, k);
                if a == 0.0 {
                    continue;
                }
                for j in 0..n {
                    out.data[i * n + j] += a * other.get(k, j);
                }
            }
        }
        out
    }

    /// `self · v` for a lower-triangular `self`.
    pub fn lower_times(&self, v: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| (0..=i).map(|k| self.get(i, k) * v[k]).sum())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let a = Matrix {
            n: 2,
            data: vec![4.0, 2.0, 2.0, 3.0],
        };
        let l = a.cholesky().unwrap();
        let x = Matrix::cholesky_solve(&l, &[2.0, 1.0]);
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        let identity = a.mul(&Matrix::cholesky_inverse(&l));
        assert!((identity.get(0, 0) - 1.0).abs() < 1e-12 && identity.get(0, 1).abs() < 1e-12);
        assert!(Matrix {
            n: 1,
            data: vec![-1.0]
        }
        .cholesky()
        .is_none());
    }
}
