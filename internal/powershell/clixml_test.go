package powershell

import "testing"

// Real stderr samples: a Write-Error record as pywinrm's tests carry it,
// and the progress record powershell.exe writes on its first module load.
const (
	clixmlError = `#< CLIXML
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Write-Error : fake error_x000D__x000A_</S><S S="Error">At line:1 char:1_x000D__x000A_</S><S S="Error">+ Write-Error "fake error"_x000D__x000A_</S></Objs>`
	clixmlProgress = `#< CLIXML
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj></Objs>`
)

func TestCleanStderr(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain text", "Access is denied.\r\n", "Access is denied.\r\n"},
		{"error record", clixmlError, "Write-Error : fake error\nAt line:1 char:1\n+ Write-Error \"fake error\"\n"},
		{"progress only", clixmlProgress, ""},
		{"text around", "before\n" + clixmlProgress + "after\n", "before\nafter\n"},
		{"two documents, repeated header", "#< CLIXML\r\n" + clixmlError + clixmlProgress, "Write-Error : fake error\nAt line:1 char:1\n+ Write-Error \"fake error\"\n"},
		{"escapes", "#< CLIXML\r\n<Objs><S S=\"Error\">a_x005F_x0041_b _xD83D__xDE00_ &lt;c&gt;</S><S S=\"Verbose\">hidden</S></Objs>", "a_x0041_b 😀 <c>"},
		{"broken block kept", "#< CLIXML\r\n<Objs><S S=\"Error\">x", "#< CLIXML\r\n<Objs><S S=\"Error\">x"},
		{"bad XML kept", "#< CLIXML\r\n<Objs><S S=\"Error\">x</Objs>", "#< CLIXML\r\n<Objs><S S=\"Error\">x</Objs>"},
	}
	for _, tc := range tests {
		if got := CleanStderr(tc.in); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
